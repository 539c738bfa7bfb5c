import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../web/src/data/catalog.js';
import { EXEC, HEALTH, META_CUBES, TARGETS } from './webFixtures.js';

describe('catalog from /meta', () => {
  const catalog = buildCatalog(META_CUBES);

  it('finds a measure by its meta.kpi key, preferring board views', () => {
    expect(catalog.byKpi('revenue')?.name).toBe(`${EXEC}.revenue`);
    expect(catalog.byKpi('repeat_rate')?.name).toBe(`${HEALTH}.repeat_rate`);
    expect(catalog.byKpi('campaign_lift')).toBeUndefined();
  });

  it('carries format, titles, description and as-of flag; unknown formats read as number', () => {
    const revenue = catalog.byKpi('revenue')!;
    expect(revenue).toMatchObject({ kind: 'measure', format: 'currency', shortTitle: 'Revenue', description: 'Sum of net_amount.', view: EXEC, asOf: false });
    expect(catalog.byKpi('repeat_rate')).toMatchObject({ format: 'percent', asOf: true });
    expect(catalog.member(`${EXEC}.odd_format`)?.format).toBe('number');
    expect(catalog.byKpi('orders')?.format).toBe('number');
  });

  it("finds dimensions by meta.role and the view's time dimension", () => {
    expect(catalog.dimensionByRole(EXEC, 'channel')?.name).toBe(`${EXEC}.channel`);
    expect(catalog.dimensionByRole(EXEC, 'region')?.name).toBe(`${EXEC}.region`);
    expect(catalog.dimensionByRole(EXEC, 'cohort_month')).toBeUndefined();
    expect(catalog.dimensionByRole('no_such_view', 'tenant')).toBeUndefined();
    expect(catalog.view(EXEC)?.timeDimension).toBe(`${EXEC}.ordered_at`);
    expect(catalog.view(EXEC)?.board).toBe(true);
    expect(catalog.view(TARGETS)?.board).toBe(false);
  });

  it('finds the attainment measure of a KPI by meta.target_for', () => {
    expect(catalog.attainmentFor(catalog.byKpi('revenue')!)?.name).toBe(`${TARGETS}.revenue_attainment`);
    expect(catalog.attainmentFor(catalog.byKpi('repeat_rate')!)).toBeUndefined();
  });

  it('survives cubes without measures or dimensions', () => {
    const empty = buildCatalog([{ name: 'bare' }]);
    expect(empty.view('bare')).toMatchObject({ measures: [], dimensions: [], timeDimension: undefined });
    expect(empty.byKpi('revenue')).toBeUndefined();
  });
});
