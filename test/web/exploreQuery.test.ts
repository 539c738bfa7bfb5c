import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../web/src/data/catalog.js';
import { explorePlan, readExploreState, ROW_LIMIT, writeExploreState, type ExploreState } from '../../web/src/explore/exploreQuery.js';
import { PIVOT_X, pivotSeries, type PivotSpec } from '../../web/src/explore/explorePivot.js';

// Two views as /meta lists them: orders (a flow) and month-end snapshots read by `month`, beside
// a second time dimension that is not the snapshot's (like cohorts.cohort_month).
const catalog = buildCatalog([
  {
    name: 'sales',
    measures: [
      { name: 'sales.revenue', type: 'number', meta: { format: 'currency' } },
      { name: 'sales.aov', type: 'number', meta: { format: 'currency' } },
    ],
    dimensions: [
      { name: 'sales.ordered_at', type: 'time' },
      { name: 'sales.channel', type: 'string' },
      { name: 'sales.region', type: 'string' },
    ],
  },
  {
    name: 'health',
    measures: [
      { name: 'health.members_to_date', type: 'number', meta: { snapshot: 'month' } },
      { name: 'health.orders', type: 'number' },
    ],
    dimensions: [
      { name: 'health.cohort_month', type: 'time' },
      { name: 'health.month', type: 'time', meta: { snapshot: 'month' } },
      { name: 'health.region', type: 'string' },
    ],
  },
]);
const sales = catalog.view('sales')!;
const health = catalog.view('health')!;
const state = (change: Partial<ExploreState>): ExploreState => ({ view: '', measures: [], dimensions: [], granularity: null, filter: null, chart: 'line', ...change });

describe('explore query', () => {
  it('asks nothing until a measure or dimension is picked', () => {
    expect(explorePlan(state({}), sales)).toBeNull();
  });

  it('groups by month and channel in time order, with a row limit', () => {
    const plan = explorePlan(state({ measures: ['sales.revenue'], dimensions: ['sales.channel'], granularity: 'month' }), sales)!;
    expect(plan.query).toEqual({
      measures: ['sales.revenue'],
      dimensions: ['sales.channel'],
      timeDimensions: [{ dimension: 'sales.ordered_at', granularity: 'month' }],
      order: { 'sales.ordered_at': 'asc' },
      filters: [],
      limit: ROW_LIMIT,
    });
    expect(plan.time).toEqual({ dimension: 'sales.ordered_at', granularity: 'month', key: 'sales.ordered_at.month' });
    expect(plan.snapshotMonthly).toBe(false);
  });

  it('reads a month-end snapshot month by month on its own month, whatever coarser granularity was picked', () => {
    for (const granularity of [null, 'quarter', 'year']) {
      const plan = explorePlan(state({ measures: ['health.members_to_date'], granularity }), health)!;
      expect(plan.query.timeDimensions).toEqual([{ dimension: 'health.month', granularity: 'month' }]);
      expect(plan.snapshotMonthly).toBe(true);
    }
    const daily = explorePlan(state({ measures: ['health.members_to_date'], granularity: 'day' }), health)!;
    expect(daily.query.timeDimensions).toEqual([{ dimension: 'health.month', granularity: 'day' }]);
    expect(daily.snapshotMonthly).toBe(false);
  });

  it("leaves flow measures of the same view on the view's first time dimension, summed when no granularity is picked", () => {
    expect(explorePlan(state({ measures: ['health.orders'] }), health)!.query.timeDimensions).toEqual([]);
    expect(explorePlan(state({ measures: ['health.orders'], granularity: 'year' }), health)!.query.timeDimensions).toEqual([{ dimension: 'health.cohort_month', granularity: 'year' }]);
  });

  it('keeps the state in the URL', () => {
    const s = state({
      view: 'sales',
      measures: ['sales.revenue'],
      dimensions: ['sales.channel'],
      granularity: 'month',
      filter: { member: 'sales.region', operator: 'equals', value: 'Kanto' },
      chart: 'bar',
    });
    const params = new URLSearchParams(Object.entries(writeExploreState(s)).filter((e): e is [string, string] => e[1] !== null));
    expect(readExploreState(params)).toEqual(s);
    expect(readExploreState(new URLSearchParams('chart=pie')).chart).toBe('table');
  });
});

describe('explore series', () => {
  const spec = (change: Partial<PivotSpec>): PivotSpec => ({
    x: 'sales.ordered_at.month',
    splitBy: ['sales.channel'],
    measures: ['sales.revenue'],
    maxSeries: 10,
    xLabel: (v) => String(v).slice(0, 7),
    valueLabel: (_d, v) => String(v).toUpperCase(),
    measureLabel: (m) => m.split('.')[1],
    ...change,
  });
  const row = (month: string, channel: string, revenue: string | null, aov = '1') => ({
    'sales.ordered_at.month': `${month}-01T00:00:00.000`,
    'sales.channel': channel,
    'sales.revenue': revenue,
    'sales.aov': aov,
  });

  it('draws one series per dimension value, one point per month, values as the API gave them', () => {
    const rows = [row('2026-09', 'store', '100'), row('2026-09', 'ec', '40'), row('2026-09', 'app', '10'), row('2026-10', 'store', '120'), row('2026-10', 'ec', null)];
    expect(pivotSeries(rows, spec({}))).toEqual({
      series: ['STORE', 'EC', 'APP'],
      data: [
        { [PIVOT_X]: '2026-09', STORE: 100, EC: 40, APP: 10 },
        // A blanked cell and a cell the API did not return stay empty, never 0.
        { [PIVOT_X]: '2026-10', STORE: 120, EC: null, APP: null },
      ],
      shownValues: 3,
      omittedValues: 0,
    });
  });

  it('names series by measure and value when several measures are drawn, and by measure alone without a split', () => {
    const rows = [row('2026-10', 'store', '120', '5000')];
    expect(pivotSeries(rows, spec({ measures: ['sales.revenue', 'sales.aov'] })).series).toEqual(['revenue · STORE', 'aov · STORE']);
    expect(pivotSeries(rows, spec({ splitBy: [], measures: ['sales.revenue', 'sales.aov'] })).data).toEqual([{ [PIVOT_X]: '2026-10', revenue: 120, aov: 5000 }]);
  });

  it('draws at most maxSeries, for the values reaching the highest first measure, and counts the rest instead of summing them into "other"', () => {
    const rows = ['a', 'b', 'c', 'd'].flatMap((channel, i) => [row('2026-09', channel, String(10 * (i + 1)), channel === 'b' ? '999' : '1'), row('2026-10', channel, channel === 'a' ? '100' : '1')]);
    const pivot = pivotSeries(rows, spec({ maxSeries: 2 }));
    // a peaks at 100, d at 40, c at 30, b at 20: a and d are drawn, in the rows' order.
    expect(pivot.series).toEqual(['A', 'D']);
    expect([pivot.shownValues, pivot.omittedValues]).toEqual([2, 2]);
    expect(pivot.data[0]).toEqual({ [PIVOT_X]: '2026-09', A: 10, D: 40 });
    // With two measures, both are drawn for the top values of the first (b's aov, the highest, does not rank it).
    const both = pivotSeries(rows, spec({ maxSeries: 4, measures: ['sales.revenue', 'sales.aov'] }));
    expect(both.series).toEqual(['revenue · A', 'aov · A', 'revenue · D', 'aov · D']);
  });
});
