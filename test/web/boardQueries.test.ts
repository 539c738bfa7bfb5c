import { describe, expect, it } from 'vitest';
import { boardMembers } from '../../web/src/board/boardMembers.js';
import {
  breakdownQuery,
  customPeriodProblem,
  fiscalPosition,
  fiscalStartMonthOf,
  fiscalYearOf,
  lastDayOf,
  lastDayQuery,
  monthlyQuery,
  periodContaining,
  periodValueQuery,
  previousPeriod,
  relativeChange,
  sameDaysLastYear,
  viewQueries,
  wholeFiscalYear,
  type Period,
} from '../../web/src/board/boardQueries.js';
import { buildCatalog } from '../../web/src/data/catalog.js';
import { tenantsQuery } from '../../web/src/data/tenantsQuery.js';
import { EXEC, HEALTH, META_CUBES, TARGETS } from './webFixtures.js';

const TIME = `${EXEC}.ordered_at`;
const REVENUE = `${EXEC}.revenue`;
const TENANT = `${EXEC}.tenant_id`;

describe('periods', () => {
  it('takes the fiscal quarter, half or year containing the last day, counted from the tenant’s first month', () => {
    // April start (most Japanese companies): October is the first month of Q3 and of H2 of 2026年度.
    expect(periodContaining('fiscal_year', '2026-10-31', 4)).toEqual({ kind: 'fiscal_year', start: '2026-04-01', end: '2026-10-31' });
    expect(periodContaining('fiscal_half', '2026-10-31', 4)).toEqual({ kind: 'fiscal_half', start: '2026-10-01', end: '2026-10-31' });
    expect(periodContaining('fiscal_quarter', '2026-10-31', 4)).toEqual({ kind: 'fiscal_quarter', start: '2026-10-01', end: '2026-10-31' });
    // A February close (March start): January 2027 is still 2026年度, its 4th quarter from December.
    expect(periodContaining('fiscal_year', '2027-01-15', 3)).toEqual({ kind: 'fiscal_year', start: '2026-03-01', end: '2027-01-15' });
    expect(periodContaining('fiscal_quarter', '2027-01-15', 3)).toEqual({ kind: 'fiscal_quarter', start: '2026-12-01', end: '2027-01-15' });
    expect(fiscalYearOf('2027-01-15', 3)).toBe(2026);
    expect(fiscalYearOf('2027-03-01', 3)).toBe(2027);
    expect(fiscalPosition({ kind: 'fiscal_quarter', start: '2026-12-01', end: '2027-01-15' }, 3)).toEqual({ year: 2026, half: 2, quarter: 4 });
    expect(wholeFiscalYear('2026-10-31', 4)).toEqual({ kind: 'fiscal_year', start: '2026-04-01', end: '2027-03-31' });
    // The previous fiscal half to the same day, and the same days last year.
    expect(previousPeriod({ kind: 'fiscal_half', start: '2026-10-01', end: '2026-10-31' })).toEqual({ kind: 'fiscal_half', start: '2026-04-01', end: '2026-04-30' });
    expect(sameDaysLastYear({ kind: 'fiscal_year', start: '2026-04-01', end: '2026-10-31' })).toEqual({ kind: 'fiscal_year', start: '2025-04-01', end: '2025-10-31' });
    expect(sameDaysLastYear({ kind: 'custom', start: '2028-02-29', end: '2028-02-29' })).toEqual({ kind: 'custom', start: '2027-02-28', end: '2027-02-28' });
  });

  it('counts with the fiscal start month the visible tenants share, or the picked tenant’s; none when they differ', () => {
    const F = `${EXEC}.fiscal_year_start_month`;
    const rows = [
      { [TENANT]: 't01', [F]: '4' },
      { [TENANT]: 't02', [F]: '3' },
    ];
    expect(fiscalStartMonthOf(rows, TENANT, F, null)).toBeNull();
    expect(fiscalStartMonthOf(rows, TENANT, F, 't02')).toBe(3);
    expect(fiscalStartMonthOf(rows.slice(0, 1), TENANT, F, null)).toBe(4);
  });

  it('takes the calendar month, quarter or year containing the last day with data, up to that day', () => {
    expect(periodContaining('month', '2026-10-31')).toEqual({ kind: 'month', start: '2026-10-01', end: '2026-10-31' });
    expect(periodContaining('quarter', '2026-11-15')).toEqual({ kind: 'quarter', start: '2026-10-01', end: '2026-11-15' });
    expect(periodContaining('quarter', '2026-03-31')).toEqual({ kind: 'quarter', start: '2026-01-01', end: '2026-03-31' });
    expect(periodContaining('year', '2026-10-31')).toEqual({ kind: 'year', start: '2026-01-01', end: '2026-10-31' });
  });

  it('compares with the same span of the previous period, clamped to shorter months', () => {
    const prev = (p: Period) => previousPeriod(p);
    expect(prev({ kind: 'month', start: '2026-10-01', end: '2026-10-31' })).toEqual({ kind: 'month', start: '2026-09-01', end: '2026-09-30' });
    expect(prev({ kind: 'month', start: '2026-03-01', end: '2026-03-31' })).toEqual({ kind: 'month', start: '2026-02-01', end: '2026-02-28' });
    expect(prev({ kind: 'month', start: '2024-03-01', end: '2024-03-31' })).toEqual({ kind: 'month', start: '2024-02-01', end: '2024-02-29' });
    expect(prev({ kind: 'month', start: '2026-01-01', end: '2026-01-15' })).toEqual({ kind: 'month', start: '2025-12-01', end: '2025-12-15' });
    expect(prev({ kind: 'quarter', start: '2026-10-01', end: '2026-11-15' })).toEqual({ kind: 'quarter', start: '2026-07-01', end: '2026-08-15' });
    expect(prev({ kind: 'year', start: '2026-01-01', end: '2026-10-31' })).toEqual({ kind: 'year', start: '2025-01-01', end: '2025-10-31' });
  });

  it("puts a custom period's comparison right before it, as many days long", () => {
    expect(previousPeriod({ kind: 'custom', start: '2026-10-01', end: '2026-10-10' })).toEqual({ kind: 'custom', start: '2026-09-21', end: '2026-09-30' });
    expect(previousPeriod({ kind: 'custom', start: '2026-03-01', end: '2026-03-01' })).toEqual({ kind: 'custom', start: '2026-02-28', end: '2026-02-28' });
  });

  it('refuses a custom period that ends before it starts, or starts after the last day with data', () => {
    // Issue 10, defect 9: from > to was accepted and showed ¥0. Data runs to 2026-10-31 here.
    expect(customPeriodProblem({ kind: 'custom', start: '2026-10-20', end: '2026-10-01' }, '2026-10-31')).toBe('fromAfterTo');
    expect(customPeriodProblem({ kind: 'custom', start: '2026-11-01', end: '2026-11-30' }, '2026-10-31')).toBe('afterData');
    expect(customPeriodProblem({ kind: 'custom', start: '2026-10-31', end: '2026-11-30' }, '2026-10-31')).toBeNull();
    expect(customPeriodProblem({ kind: 'month', start: '2026-10-01', end: '2026-10-31' }, '2026-10-31')).toBeNull();
  });
});

describe('board queries', () => {
  const october: Period = { kind: 'month', start: '2026-10-01', end: '2026-10-31' };

  it("asks one period's value, scoped to the picked tenant only when one is picked", () => {
    expect(periodValueQuery(REVENUE, TIME, october, { tenantDimension: TENANT, tenant: 't01' })).toEqual({
      measures: [REVENUE],
      timeDimensions: [{ dimension: TIME, dateRange: ['2026-10-01', '2026-10-31'] }],
      filters: [{ member: TENANT, operator: 'equals', values: ['t01'] }],
    });
    expect(periodValueQuery(REVENUE, TIME, october, { tenantDimension: TENANT, tenant: null }).filters).toEqual([]);
    expect(periodValueQuery(REVENUE, TIME, october, { tenant: 't01' }).filters).toEqual([]);
  });

  it("asks N months ending with the end date's month, by month, in order", () => {
    const q = monthlyQuery([REVENUE], TIME, '2026-10-31', 12, {}, [`${EXEC}.channel`]);
    expect(q).toEqual({
      measures: [REVENUE],
      dimensions: [`${EXEC}.channel`],
      timeDimensions: [{ dimension: TIME, granularity: 'month', dateRange: ['2025-11-01', '2026-10-31'] }],
      filters: [],
      order: [[TIME, 'asc']],
    });
    expect(monthlyQuery([REVENUE], TIME, '2026-01-15', 13, {}).timeDimensions?.[0].dateRange).toEqual(['2025-01-01', '2026-01-15']);
  });

  it('splits a measure by a dimension over the period, largest first', () => {
    expect(breakdownQuery(REVENUE, `${EXEC}.region`, TIME, october, {})).toEqual({
      measures: [REVENUE],
      dimensions: [`${EXEC}.region`],
      timeDimensions: [{ dimension: TIME, dateRange: ['2026-10-01', '2026-10-31'] }],
      filters: [],
      order: { [REVENUE]: 'desc' },
    });
  });

  it("asks the model's last day with data", () => {
    const LAST_DAY = 'executive_kpis.last_order_date';
    expect(lastDayQuery(LAST_DAY)).toEqual({ measures: [LAST_DAY], filters: [] });
    // A picked tenant's own last day: an imported tenant's data may end in 1998.
    expect(lastDayQuery(LAST_DAY, { tenantDimension: TENANT, tenant: 'cdnow' }).filters).toEqual([{ member: TENANT, operator: 'equals', values: ['cdnow'] }]);
    expect(lastDayOf([{ [LAST_DAY]: '2026-10-31T00:00:00.000' }], LAST_DAY)).toBe('2026-10-31');
    expect(lastDayOf([{ [LAST_DAY]: null }], LAST_DAY)).toBeNull();
    expect(lastDayOf([], LAST_DAY)).toBeNull();
  });

  it('lists the tenants with their names, and labels a breakdown with extra columns', () => {
    expect(tenantsQuery(REVENUE, TENANT, [`${EXEC}.tenant_name`, undefined])).toEqual({ measures: [REVENUE], dimensions: [TENANT, `${EXEC}.tenant_name`], order: { [TENANT]: 'asc' } });
    expect(breakdownQuery(REVENUE, TENANT, TIME, october, {}, [`${EXEC}.tenant_name`]).dimensions).toEqual([TENANT, `${EXEC}.tenant_name`]);
  });
});

// The fixture catalog: revenue, AOV and active customers in the board view, their attainment (revenue's
// only) in the targets view, repeat rate (as of month end) in the health view.
describe("the board's members and per-view queries", () => {
  const catalog = buildCatalog(META_CUBES);
  const october: Period = { kind: 'month', start: '2026-10-01', end: '2026-10-31' };
  const member = (name: string) => catalog.member(name)!;

  it("finds the board's members by meta.kpi and meta.role", () => {
    const board = boardMembers(catalog)!;
    expect(board.revenue.name).toBe(REVENUE);
    expect(board.lastDay.name).toBe(`${EXEC}.last_order_date`);
    expect([board.timeDimension, board.channel?.name, board.region?.name, board.tenant?.name]).toEqual([TIME, `${EXEC}.channel`, `${EXEC}.region`, TENANT]);
    expect(board.tiles.map((t) => [t.view, t.members.map((m) => m.kpi)])).toEqual([
      [EXEC, ['revenue', 'active_customers', 'aov']],
      [HEALTH, ['repeat_rate']],
    ]);
    expect(board.missing).toEqual(['historical_ltv', 'churn_rate', 'f2_conversion_90d']);
    expect(board.tree).toBeNull(); // no orders_per_customer in the fixture
    expect(board.table.map((m) => m.kpi)).toEqual(['revenue', 'orders', 'active_customers']);
    expect(boardMembers(buildCatalog([]))).toBeNull();
  });

  it("asks a view's flow KPIs over the period and the previous one, its trend over 13 months, and attainment from the targets view", () => {
    const members = [member(REVENUE), member(`${EXEC}.aov`)];
    const q = viewQueries(catalog, EXEC, members, october, 't01');
    const scoped = [{ member: TENANT, operator: 'equals', values: ['t01'] }];
    expect(q.current).toEqual({ measures: [REVENUE, `${EXEC}.aov`], timeDimensions: [{ dimension: TIME, dateRange: ['2026-10-01', '2026-10-31'] }], filters: scoped });
    expect(q.previous?.timeDimensions).toEqual([{ dimension: TIME, dateRange: ['2026-09-01', '2026-09-30'] }]);
    expect(q.trend).toEqual(monthlyQuery([REVENUE, `${EXEC}.aov`], TIME, '2026-10-31', 13, { tenantDimension: TENANT, tenant: 't01' }));
    // The targets view has no tenant dimension in the fixture, so no tenant filter there.
    expect(q.attainment).toEqual({ measures: [`${TARGETS}.revenue_attainment`], timeDimensions: [{ dimension: `${TARGETS}.month`, dateRange: ['2026-10-01', '2026-10-31'] }], filters: [] });
  });

  it('reads as-of KPIs from the trend only', () => {
    const q = viewQueries(catalog, HEALTH, [member(`${HEALTH}.repeat_rate`)], october, null);
    expect(q.current).toBeNull();
    expect(q.previous).toBeNull();
    expect(q.attainment).toBeNull();
    expect(q.trend.measures).toEqual([`${HEALTH}.repeat_rate`]);
  });
});

describe('figures of a view', async () => {
  const { kpiFigures } = await import('../../web/src/board/boardSeries.js');
  const catalog = buildCatalog(META_CUBES);
  const october: Period = { kind: 'month', start: '2026-10-01', end: '2026-10-31' };

  it('takes flow KPIs from the period rows and attainment from the targets row', () => {
    const [revenue] = kpiFigures(catalog, EXEC, [catalog.member(REVENUE)!], october, {
      current: { [REVENUE]: '120' },
      previous: { [REVENUE]: '100' },
      targets: { [`${TARGETS}.revenue_attainment`]: '0.96' },
      trend: [{ [`${TIME}.month`]: '2026-10-01T00:00:00.000', [REVENUE]: '120' }],
      minGroupSize: null,
    });
    expect(revenue).toMatchObject({ kpi: 'revenue', value: 120, previous: 100, attainment: 0.96, trend: [{ month: '2026-10-01T00:00:00.000', value: 120 }], suppressedBelow: null });
    expect(revenue.change).toBeCloseTo(0.2, 12); // (120 - 100) / 100
  });

  it("reads as-of KPIs at the period's last month and the previous period's, and marks hidden values", () => {
    const month = `${HEALTH}.month.month`;
    const [repeat] = kpiFigures(
      catalog,
      HEALTH,
      [catalog.member(`${HEALTH}.repeat_rate`)!],
      { kind: 'year', start: '2026-01-01', end: '2026-10-31' },
      {
        trend: [
          { [month]: '2025-10-01T00:00:00.000', [`${HEALTH}.repeat_rate`]: '0.5' },
          { [month]: '2026-10-01T00:00:00.000', [`${HEALTH}.repeat_rate`]: null },
        ],
        minGroupSize: 10,
      },
    );
    expect(repeat).toMatchObject({ value: null, previous: 0.5, change: null, suppressedBelow: 10 });
  });
});

describe('relativeChange', () => {
  it('is the change against the previous value, undefined without a base', () => {
    expect(relativeChange(120, 100)).toBeCloseTo(0.2, 12);
    expect(relativeChange(80, 100)).toBeCloseTo(-0.2, 12);
    expect(relativeChange(-50, -100)).toBeCloseTo(0.5, 12);
    expect(relativeChange(5, 0)).toBeNull();
    expect(relativeChange(null, 100)).toBeNull();
    expect(relativeChange(100, null)).toBeNull();
  });
});

describe('board series', async () => {
  const { bars, monthlyTable, monthsOf, splitByMonth, trendLines } = await import('../../web/src/board/boardSeries.js');
  const M = `${TIME}.month`;
  const CH = `${EXEC}.channel`;
  const rows = [
    { [M]: '2026-09-01T00:00:00.000', [CH]: 'store', [REVENUE]: '100' },
    { [M]: '2026-09-01T00:00:00.000', [CH]: 'ec', [REVENUE]: '50.5' },
    { [M]: '2026-10-01T00:00:00.000', [CH]: 'store', [REVENUE]: '120' },
  ];

  it('orders categories by a fixed list of values, the others after', () => {
    expect(
      splitByMonth(
        rows,
        M,
        CH,
        REVENUE,
        (v) => v.toUpperCase(),
        (iso) => iso.slice(0, 7),
        ['ec', 'store'],
      ).categories,
    ).toEqual(['EC', 'STORE']);
    expect(
      splitByMonth(
        rows,
        M,
        CH,
        REVENUE,
        (v) => v,
        (iso) => iso,
        ['app', 'ec'],
      ).categories,
    ).toEqual(['ec', 'store']);
  });

  it('splits a measure by month and dimension, filling missing cells with 0', () => {
    const { series, categories } = splitByMonth(
      rows,
      M,
      CH,
      REVENUE,
      (v) => v.toUpperCase(),
      (iso) => iso.slice(0, 7),
    );
    expect(categories).toEqual(['STORE', 'EC']);
    expect(series).toEqual([
      { month: '2026-09', STORE: 100, EC: 50.5 },
      { month: '2026-10', STORE: 120, EC: 0 },
    ]);
  });

  it('lays out monthly rows newest first, keeping nulls, each beside the same month last year', () => {
    const ORDERS = `${EXEC}.orders`;
    expect(
      monthlyTable(
        [
          { [M]: '2026-09-01T00:00:00.000', [REVENUE]: '10', [ORDERS]: null },
          { [M]: '2026-10-01T00:00:00.000', [REVENUE]: '20', [ORDERS]: '2' },
        ],
        M,
        [REVENUE, ORDERS],
        // Last year: October 16 (20 / 16 - 1 = +25 %) and 4 orders (2 / 4 - 1 = -50 %); no September row.
        [{ [M]: '2025-10-01T00:00:00.000', [REVENUE]: '16', [ORDERS]: '4' }],
      ),
    ).toEqual([
      { month: '2026-10', values: { [REVENUE]: 20, [ORDERS]: 2 }, yoy: { [REVENUE]: 0.25, [ORDERS]: -0.5 } },
      { month: '2026-09', values: { [REVENUE]: 10, [ORDERS]: null }, yoy: { [REVENUE]: null, [ORDERS]: null } },
    ]);
  });

  it('draws this year, last year a year later, and the target per month, with gaps where a line has no value', () => {
    const T = `${TARGETS}.month.month`;
    const TARGET = `${TARGETS}.revenue_target`;
    const months = monthsOf({ kind: 'fiscal_year', start: '2026-04-01', end: '2027-03-31' });
    expect(months).toHaveLength(12);
    expect([months[0], months[11]]).toEqual(['2026-04', '2027-03']);
    const points = trendLines(
      months.slice(0, 3),
      [
        { name: 'actual', rows: [{ [M]: '2026-04-01T00:00:00.000', [REVENUE]: '120' }], monthKey: M, measure: REVENUE },
        {
          name: 'last year',
          rows: [
            { [M]: '2025-04-01T00:00:00.000', [REVENUE]: '100' },
            { [M]: '2025-05-01T00:00:00.000', [REVENUE]: '90' },
          ],
          monthKey: M,
          measure: REVENUE,
          lastYear: true,
        },
        { name: 'target', rows: [{ [T]: '2026-06-01T00:00:00.000', [TARGET]: '130' }], monthKey: T, measure: TARGET },
      ],
      (iso) => iso.slice(0, 7),
    );
    expect(points).toEqual([
      { month: '2026-04', actual: 120, 'last year': 100, target: null },
      { month: '2026-05', actual: null, 'last year': 90, target: null },
      { month: '2026-06', actual: null, 'last year': null, target: 130 },
    ]);
  });

  it("makes bar items in the query's order", () => {
    expect(bars(rows.slice(0, 2), CH, REVENUE)).toEqual([
      { name: 'store', value: 100 },
      { name: 'ec', value: 50.5 },
    ]);
  });
});
