import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { startServer, type RunningServer } from '../../cube/server.js';
import { loadRows, TEST_SECRET } from '../support/apiClient.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { HAND_FIXTURE_SQL } from './fixture.js';

// Every catalog KPI on the hand-sized fixture of fixture.ts, with the expected value derived by hand.
const tmp = tempDir();
let server: RunningServer;
const one = async (query: object) => (await loadRows(server.url, query))[0];
const JUNE = [{ dimension: 'executive_kpis.ordered_at', dateRange: ['2026-06-01', '2026-06-30'] }];

beforeAll(async () => {
  const file = path.join(tmp.dir, 'hand.duckdb');
  await createDuckDBFile(file, HAND_FIXTURE_SQL);
  server = await startServer({ warehouse: file, apiSecret: TEST_SECRET, port: 0, webDist: null, refreshIntervalSeconds: 0 });
});
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

describe('flow KPIs in June 2026', () => {
  it('revenue, orders, AOV, active customers, and the KGI tree on members', async () => {
    // June orders: c1 10000, c4 6000, c6 2000, c8 1000, c9 5000, non-member 2500 -> 26,500 yen, 6 orders,
    // 5 members; AOV 26500 / 6 = 4416.67. The tree counts members only: 5 member orders, member
    // revenue 24,000, member AOV 24000 / 5 = 4800, orders per customer 5 / 5 = 1 (not 6 / 5 = 1.2,
    // which counted the non-member's order); non-member revenue 2,500.
    // 5 x 1 x 4800 = 24,000 = member revenue; 24,000 + 2,500 = 26,500 = revenue.
    const row = await one({
      measures: [
        'executive_kpis.revenue',
        'executive_kpis.orders',
        'executive_kpis.aov',
        'executive_kpis.active_customers',
        'executive_kpis.orders_per_customer',
        'executive_kpis.member_orders',
        'executive_kpis.member_revenue',
        'executive_kpis.member_aov',
        'executive_kpis.non_member_revenue',
      ],
      timeDimensions: JUNE,
    });
    expect(Number(row['executive_kpis.revenue'])).toBe(26500);
    expect(Number(row['executive_kpis.orders'])).toBe(6);
    expect(Number(row['executive_kpis.aov'])).toBeCloseTo(4416.667, 2);
    expect(Number(row['executive_kpis.active_customers'])).toBe(5);
    expect(Number(row['executive_kpis.member_orders'])).toBe(5);
    expect(Number(row['executive_kpis.member_revenue'])).toBe(24000);
    expect(Number(row['executive_kpis.member_aov'])).toBeCloseTo(4800, 6);
    expect(Number(row['executive_kpis.orders_per_customer'])).toBeCloseTo(1, 6);
    expect(Number(row['executive_kpis.non_member_revenue'])).toBe(2500);
  });

  it('new customers and revenue attainment', async () => {
    // Only c9's first order falls in June; June revenue 26,500 against a 20,000 target = 132.5 %.
    const row = await one({
      measures: ['kpi_attainment.new_customers', 'kpi_attainment.revenue_attainment'],
      timeDimensions: [{ dimension: 'kpi_attainment.month', dateRange: ['2026-06-01', '2026-06-30'] }],
    });
    expect(Number(row['kpi_attainment.new_customers'])).toBe(1);
    expect(Number(row['kpi_attainment.revenue_attainment'])).toBeCloseTo(1.325, 6);
  });
});

describe('as-of KPIs at ref = 2026-06-30', () => {
  it('repeat rate, dormant, churn, historical LTV, F2 conversion, segment size', async () => {
    // 11 buyers (c11 never ordered); >= 2 orders: c1 c2 c4 c6 c8 c10 -> 6/11.
    // Dormant: last order before ref - 180 d = 2026-01-01: only c12 (2025-12-20) -> 1; churn 1/11.
    // LTV: member revenue 99,000 / 11 buyers = 9,000.
    // F2: first order on/before 2026-04-01: c1 c2 c3 c4 c5 c6 c7 c10 c12 = 9; second within 90 d:
    //   c1 (31 d), c2 (45 d), c6 (26 d) = 3 (c4 140 d and c10 116 d are too late) -> 3/9.
    const row = await one({
      measures: [
        'customer_segments.repeat_rate',
        'customer_segments.dormant_customers',
        'customer_segments.churn_rate',
        'customer_segments.historical_ltv',
        'customer_segments.f2_conversion_90d',
        'customer_segments.segment_size',
      ],
    });
    expect(Number(row['customer_segments.repeat_rate'])).toBeCloseTo(6 / 11, 9);
    expect(Number(row['customer_segments.dormant_customers'])).toBe(1);
    expect(Number(row['customer_segments.churn_rate'])).toBeCloseTo(1 / 11, 9);
    expect(Number(row['customer_segments.historical_ltv'])).toBeCloseTo(9000, 6);
    expect(Number(row['customer_segments.f2_conversion_90d'])).toBeCloseTo(3 / 9, 9);
    expect(Number(row['customer_segments.segment_size'])).toBe(12);
  });

  it('the monthly snapshot: repeat rate at the end of May, returning rate in June, attainment', async () => {
    // By 2026-05-31: 10 buyers (all but c9, c11); >= 2 orders by then: c1 c2 c6 c10 -> 0.4.
    // June: active c1 c4 c6 c8 c9, of whom all but c9 ordered before June -> 4/5.
    // June repeat rate 6/11 against a 0.5 target -> 1.0909.
    const rows = await loadRows(server.url, {
      measures: ['customer_health.repeat_rate', 'customer_health.returning_customer_rate', 'customer_health.repeat_rate_attainment'],
      timeDimensions: [{ dimension: 'customer_health.month', granularity: 'month', dateRange: ['2026-05-01', '2026-06-30'] }],
      order: { 'customer_health.month': 'asc' },
    });
    expect(Number(rows[0]['customer_health.repeat_rate'])).toBeCloseTo(0.4, 9);
    expect(Number(rows[1]['customer_health.returning_customer_rate'])).toBeCloseTo(0.8, 9);
    expect(Number(rows[1]['customer_health.repeat_rate_attainment'])).toBeCloseTo(6 / 11 / 0.5, 9);
  });

  it('RFM segments', async () => {
    // Scores of 11 buyers: 1 + floor(5 × (rank − 1) / 11), equal values sharing the lower rank, so
    // ranks 1-3 score 1, 4-5 2, 6-7 3, 8-9 4, 10-11 5.
    // R by last order day: c12 c3 c2 | c5 c7 | c10 c9 | c6 c1 | c4 c8.
    // F by orders: c3 c5 c7 c9 c12 (1 order, all rank 1) -> 1; c2 c4 c8 c10 (2, rank 6) -> 3; c1 (3, rank 10) c6 (4) -> 5.
    // M by revenue: c10 c5 c9 -> 1; c12 c7 -> 2; c3 c6 (8,000, rank 6) -> 3; c2 c4 c8 (10,000, rank 8) -> 4; c1 -> 5.
    // -> champions c1 (4,5,5); loyal c6 (4,5,3); potential c4 (5,3,4) c8 (5,3,4) c9 (3,1,1) c10 (3,3,1);
    //    at_risk c2 (1,3,4); lost c3 (1,1,3) c12 (1,1,2); hibernating c5 (2,1,1) c7 (2,1,2); no_orders c11.
    const rows = await loadRows(server.url, { measures: ['customer_segments.segment_size'], dimensions: ['customer_segments.rfm_segment'], order: { 'customer_segments.rfm_segment': 'asc' } });
    expect(Object.fromEntries(rows.map((r) => [r['customer_segments.rfm_segment'], Number(r['customer_segments.segment_size'])]))).toEqual({
      at_risk: 1,
      champions: 1,
      hibernating: 2,
      lost: 2,
      loyal: 1,
      no_orders: 1,
      potential: 4,
    });
  });

  it('tier at ref', async () => {
    // c1 is gold from 2026-01-01; everyone else has no tier row -> regular.
    const rows = await loadRows(server.url, { measures: ['customer_segments.segment_size'], dimensions: ['customer_segments.tier'], order: { 'customer_segments.tier': 'asc' } });
    expect(rows.map((r) => [r['customer_segments.tier'], Number(r['customer_segments.segment_size'])])).toEqual([
      ['gold', 1],
      ['regular', 11],
    ]);
  });
});

describe('cohorts', () => {
  it('January 2026 cohort: retention, revenue retention, cumulative LTV', async () => {
    // Cohort 2026-01: c10 (01-05), c1 (01-10), c2 (01-15), c3 (01-20) = 4 members.
    // Ordering again: Feb c1, Mar c2, Apr nobody, May c10, Jun c1 -> 1, .25, .25, 0, .25, .25.
    // First-month revenue 1000 + 10000 + 5000 + 8000 = 24,000; Feb revenue 10,000 -> 0.41667.
    // By June: c1 30000 + c2 10000 + c3 8000 + c10 2000 = 50,000 / 4 = 12,500.
    const rows = await loadRows(server.url, {
      measures: ['cohorts.cohort_retention', 'cohorts.revenue_retention', 'cohorts.cumulative_ltv'],
      dimensions: ['cohorts.month_offset'],
      timeDimensions: [{ dimension: 'cohorts.cohort_month', granularity: 'month', dateRange: ['2026-01-01', '2026-01-31'] }],
      order: { 'cohorts.month_offset': 'asc' },
    });
    expect(rows.map((r) => Number(r['cohorts.cohort_retention']))).toEqual([1, 0.25, 0.25, 0, 0.25, 0.25]);
    expect(Number(rows[1]['cohorts.revenue_retention'])).toBeCloseTo(10000 / 24000, 9);
    expect(Number(rows[5]['cohorts.cumulative_ltv'])).toBeCloseTo(12500, 6);
  });
});

const CAMPAIGN = (id: number) => [{ member: 'campaign_performance.campaigns_campaign_id', operator: 'equals', values: [String(id)] }];
const P = 'campaign_performance.';
const num = (v: unknown) => (v === null ? null : Number(v));

describe('campaign', () => {
  it('conversion per group, lift with its confidence interval, incrementals', async () => {
    // Campaign 1. Window: after 03-01 09:00 through 03-31 (30 calendar days). Treatment c1-c6: c2 (03-01, 5000), c5 (03-10, 3000), c6 (03-15, 2000) -> 3/6 = 0.5.
    // Control c7-c10: c7 (03-20, 7000) -> 1/4 = 0.25. Lift (0.5 - 0.25) / 0.25 = 1.
    // CI of the difference, Newcombe's hybrid score (each arm's Wilson interval, z = 1.96, z^2 = 3.8416):
    //   treatment 3/6: (6 + 3.8416 -/+ 1.96 * sqrt(3.8416 + 6)) / (2 * 9.8416) -> [0.187613, 0.812387];
    //   control 1/4: (2 + 3.8416 -/+ 1.96 * sqrt(3.8416 + 3)) / (2 * 7.8416) -> [0.045586, 0.699364];
    //   low 0.25 - sqrt((0.5 - 0.187613)^2 + (0.699364 - 0.25)^2) = 0.25 - 0.547278 = -0.297278;
    //   high 0.25 + sqrt((0.812387 - 0.5)^2 + (0.25 - 0.045586)^2) = 0.25 + 0.373324 = 0.623324.
    //   (Wald's 0.25 -/+ 0.583216 gave [-0.333216, 0.833216].)
    // CI of the lift (log of the ratio 2): ln 2 ± 1.96 * sqrt((1-0.5)/3 + (1-0.25)/1) = 0.693147 ± 1.876557
    //   -> exp(...) - 1 = [-0.693767, 12.061962].
    // Incremental conversions 0.25 * 6 = 1.5; revenue per treated 10000/6 - 7000/4 = -83.33.
    // 6 and 4 members are under the 30 per group needed to read the result -> sample not sufficient (0).
    const row = await one({
      measures: [
        `${P}treatment_conversion`,
        `${P}control_conversion`,
        `${P}campaign_lift`,
        `${P}lift_ci_low`,
        `${P}lift_ci_high`,
        `${P}lift_relative_ci_low`,
        `${P}lift_relative_ci_high`,
        `${P}lift_sample_sufficient`,
        `${P}incremental_conversions`,
        `${P}incremental_revenue_per_treated`,
      ],
      filters: CAMPAIGN(1),
    });
    expect(Number(row[`${P}treatment_conversion`])).toBe(0.5);
    expect(Number(row[`${P}control_conversion`])).toBe(0.25);
    expect(Number(row[`${P}campaign_lift`])).toBeCloseTo(1, 9);
    expect(Number(row[`${P}lift_ci_low`])).toBeCloseTo(-0.297278, 5);
    expect(Number(row[`${P}lift_ci_high`])).toBeCloseTo(0.623324, 5);
    expect(Number(row[`${P}lift_relative_ci_low`])).toBeCloseTo(-0.693767, 5);
    expect(Number(row[`${P}lift_relative_ci_high`])).toBeCloseTo(12.061962, 5);
    expect(Number(row[`${P}lift_sample_sufficient`])).toBe(0);
    expect(Number(row[`${P}incremental_conversions`])).toBeCloseTo(1.5, 9);
    expect(Number(row[`${P}incremental_revenue_per_treated`])).toBeCloseTo(-83.3333, 3);
    const groups = await loadRows(server.url, { measures: [`${P}campaign_conversion`], dimensions: [`${P}group_name`], filters: CAMPAIGN(1), order: { [`${P}group_name`]: 'asc' } });
    expect(groups.map((g) => [g[`${P}group_name`], Number(g[`${P}campaign_conversion`])])).toEqual([
      ['control', 0.25],
      ['treatment', 0.5],
    ]);
  });

  it('a control group without conversions leaves the lift and its interval undefined, not 0', async () => {
    // Campaign 2. Window: after 04-15 09:00 through 05-15. Treatment c1 c2 c6 c10: c6 (05-10), c10 (05-01) -> 2/4 = 0.5.
    // Control c3 c4 c5: c3 and c5 never order again, c4 only on 06-25 -> 0/3 = 0. Lift 0.5 / 0 is undefined (null),
    // and so is the log-ratio interval; the difference 0.5 and its interval stay defined.
    const row = await one({
      measures: [`${P}control_conversions`, `${P}control_conversion`, `${P}campaign_lift`, `${P}lift_relative_ci_low`, `${P}lift_relative_ci_high`, `${P}lift_difference`],
      filters: CAMPAIGN(2),
    });
    expect(Number(row[`${P}control_conversions`])).toBe(0);
    expect(Number(row[`${P}control_conversion`])).toBe(0);
    expect(row[`${P}campaign_lift`]).toBeNull();
    expect(row[`${P}lift_relative_ci_low`]).toBeNull();
    expect(row[`${P}lift_relative_ci_high`]).toBeNull();
    expect(Number(row[`${P}lift_difference`])).toBe(0.5);
  });

  const bySegment = async (dimension: string) =>
    Object.fromEntries(
      (
        await loadRows(server.url, {
          measures: [`${P}treated_members`, `${P}treated_conversions`, `${P}control_members`, `${P}control_conversions`],
          dimensions: [P + dimension],
          filters: CAMPAIGN(1),
        })
      ).map((r) => [r[P + dimension], [num(r[`${P}treated_members`]), num(r[`${P}treated_conversions`]), num(r[`${P}control_members`]), num(r[`${P}control_conversions`])]]),
    );

  it('segments campaign members by their RFM segment on the assignment date, not at ref', async () => {
    // Campaign 1, assigned 2026-03-01: RFM from the orders before that day. Buyers then: c12 (2025-12-20: 6000),
    // c10 (01-05: 1000), c2 (01-15: 5000), c3 (01-20: 8000), c4 (02-05: 4000), c1 (01-10, 02-10: 20000).
    // Scores of 6: 1 + floor(5 × (rank − 1) / 6), so ranks 1-2 score 1, then 2, 3, 4, 5; equal values share the lower rank:
    //   R by last order c12 c10 | c2 | c3 | c4 | c1; F by orders c2 c3 c4 c10 c12 (1 order, rank 1) -> 1, c1 -> 5;
    //   M by revenue c10 c4 | c2 | c12 | c3 | c1.
    //   -> c1 (5,5,5) champions; c2 (2,1,2) hibernating; c3 (3,1,4) potential; c4 (4,1,1) new; c10 (1,1,1) lost;
    //      c5-c9 had no orders yet -> no_orders. (At ref, c2 is at_risk and c10 potential: the old answer.)
    // [treated, treated conversions, control, control conversions]; conversions c2 c5 c6 (treatment), c7 (control):
    expect(await bySegment('rfm_segment_at_assignment')).toEqual({
      champions: [1, 0, 0, 0],
      hibernating: [1, 1, 0, 0],
      potential: [1, 0, 0, 0],
      new: [1, 0, 0, 0],
      no_orders: [2, 2, 3, 1],
      lost: [0, 0, 1, 0],
    });
  });

  it('segments campaign members by their tier on the assignment date', async () => {
    // On 2026-03-01 c1 is gold and c2 silver (until 03-31); everyone else regular. Conversions c2 c5 c6 | c7.
    expect(await bySegment('tier_at_assignment')).toEqual({ gold: [1, 0, 0, 0], silver: [1, 1, 0, 0], regular: [4, 2, 4, 1] });
  });
});
