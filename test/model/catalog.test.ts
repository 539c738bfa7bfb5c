import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRows } from '../support/apiClient.js';
import { rfmScoreSql } from '../support/rfmScore.js';
import { queryDuckDBFile } from '../support/duckdbFile.js';
import { newcombe } from '../support/newcombe.js';
import { serveGeneratedWarehouse, type ServedWarehouse } from '../support/warehouses.js';

/*
 * Every catalog metric through the real API equals an independent computation written here in
 * plain SQL over the raw tables of the same generated warehouse (not the model's SQL), by month
 * and by a segment dimension, on DuckDB and on Postgres.
 */
const close = (a: unknown, b: unknown) => (a === null || b === null ? a === b : Math.abs(Number(a) - Number(b)) < 1e-6 * Math.max(1, Math.abs(Number(b))));
const REF = '(SELECT CAST(max(ordered_at) AS DATE) FROM orders)';

function expectRowsClose(api: Record<string, unknown>[], sql: Record<string, unknown>[], pairs: [string, string][]) {
  expect(api.length).toBe(sql.length);
  api.forEach((row, i) => {
    for (const [apiKey, sqlKey] of pairs) {
      const ok = close(row[apiKey] ?? null, sql[i][sqlKey] ?? null);
      if (!ok) throw new Error(`row ${i} ${apiKey}: API ${row[apiKey]} vs SQL ${sql[i][sqlKey]}`);
    }
  });
}

// Per member: orders and purchase days (days with an order) up to ref, first order, second purchase (the
// first order on a later day than the first order's), last order, revenue; members only.
const MEMBER_FACTS = `
  WITH o AS (SELECT customer_id, ordered_at, net_amount, min(CAST(ordered_at AS DATE)) OVER (PARTITION BY customer_id) AS first_day
             FROM orders WHERE customer_id IS NOT NULL)
  SELECT c.customer_id, c.tenant_id, c.region, count(o.customer_id) AS n_orders, count(DISTINCT CAST(o.ordered_at AS DATE)) AS days,
    COALESCE(sum(o.net_amount), 0) AS revenue, min(o.ordered_at) AS first_at,
    min(o.ordered_at) FILTER (WHERE CAST(o.ordered_at AS DATE) > o.first_day) AS second_at, max(o.ordered_at) AS last_at
  FROM customers c LEFT JOIN o ON o.customer_id = c.customer_id GROUP BY c.customer_id, c.tenant_id, c.region`;

for (const kind of ['duckdb', 'postgres'] as const) {
  describe(`KPI catalog on ${kind}`, () => {
    let w: ServedWarehouse;
    const sql = (text: string) => queryDuckDBFile(w.duckdbFile, text);
    beforeAll(async () => {
      w = await serveGeneratedWarehouse(kind);
    });
    afterAll(async () => w?.stop());

    it('repeat rate, churn, dormant, LTV and F2 as of ref, by region', async () => {
      const api = await loadRows(w.server.url, {
        measures: [
          'customer_segments.repeat_rate',
          'customer_segments.churn_rate',
          'customer_segments.dormant_customers',
          'customer_segments.historical_ltv',
          'customer_segments.f2_conversion_90d',
          'customer_segments.segment_size',
        ],
        dimensions: ['customer_segments.region'],
        order: { 'customer_segments.region': 'asc' },
      });
      const expected = await sql(`WITH f AS (${MEMBER_FACTS}), r AS (SELECT ${REF} AS ref)
        SELECT region, count(*) FILTER (WHERE days >= 2) * 1.0 / count(*) FILTER (WHERE n_orders >= 1) AS repeat_rate,
          count(*) FILTER (WHERE n_orders >= 1 AND CAST(last_at AS DATE) < r.ref - 180) * 1.0 / count(*) FILTER (WHERE n_orders >= 1) AS churn,
          count(*) FILTER (WHERE n_orders >= 1 AND CAST(last_at AS DATE) < r.ref - 180) AS dormant,
          sum(revenue) FILTER (WHERE n_orders >= 1) / count(*) FILTER (WHERE n_orders >= 1) AS ltv,
          count(*) FILTER (WHERE CAST(first_at AS DATE) <= r.ref - 90 AND CAST(second_at AS DATE) <= CAST(first_at AS DATE) + 90) * 1.0
            / count(*) FILTER (WHERE CAST(first_at AS DATE) <= r.ref - 90) AS f2,
          count(*) AS size
        FROM f, r GROUP BY region ORDER BY region`);
      expectRowsClose(api, expected, [
        ['customer_segments.repeat_rate', 'repeat_rate'],
        ['customer_segments.churn_rate', 'churn'],
        ['customer_segments.dormant_customers', 'dormant'],
        ['customer_segments.historical_ltv', 'ltv'],
        ['customer_segments.f2_conversion_90d', 'f2'],
        ['customer_segments.segment_size', 'size'],
      ]);
    });

    it('as-of KPIs at each month end, and returning customer rate by month', async () => {
      const api = await loadRows(w.server.url, {
        measures: ['customer_health.repeat_rate', 'customer_health.churn_rate', 'customer_health.historical_ltv', 'customer_health.f2_conversion_90d', 'customer_health.returning_customer_rate'],
        timeDimensions: [{ dimension: 'customer_health.month', granularity: 'month', dateRange: ['2026-01-01', '2026-10-31'] }],
        order: { 'customer_health.month': 'asc' },
      });
      // For each month end e: members with a first order <= e, and their orders up to e.
      const expected = await sql(`WITH months AS (SELECT DISTINCT CAST(date_trunc('month', ordered_at) AS DATE) AS m FROM orders WHERE ordered_at >= DATE '2026-01-01'),
        ends AS (SELECT m, least(CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE), ${REF}) AS e FROM months),
        o AS (SELECT customer_id, ordered_at, net_amount, min(CAST(ordered_at AS DATE)) OVER (PARTITION BY customer_id) AS first_day FROM orders WHERE customer_id IS NOT NULL),
        per AS (SELECT ends.m, ends.e, o.customer_id, count(DISTINCT CAST(ordered_at AS DATE)) AS days, sum(net_amount) AS revenue, min(ordered_at) AS first_at,
                  min(ordered_at) FILTER (WHERE CAST(ordered_at AS DATE) > o.first_day) AS second_at, max(ordered_at) AS last_at,
                  count(*) FILTER (WHERE date_trunc('month', ordered_at) = ends.m) AS in_month
                FROM ends JOIN o ON CAST(o.ordered_at AS DATE) <= ends.e GROUP BY ends.m, ends.e, o.customer_id)
        SELECT m, count(*) FILTER (WHERE days >= 2) * 1.0 / count(*) AS repeat_rate,
          count(*) FILTER (WHERE CAST(last_at AS DATE) < e - 180) * 1.0 / count(*) AS churn,
          sum(revenue) / count(*) AS ltv,
          count(*) FILTER (WHERE CAST(first_at AS DATE) <= e - 90 AND CAST(second_at AS DATE) <= CAST(first_at AS DATE) + 90) * 1.0 / count(*) FILTER (WHERE CAST(first_at AS DATE) <= e - 90) AS f2,
          count(*) FILTER (WHERE in_month > 0 AND first_at < m) * 1.0 / count(*) FILTER (WHERE in_month > 0) AS returning
        FROM per GROUP BY m ORDER BY m`);
      expectRowsClose(api, expected, [
        ['customer_health.repeat_rate', 'repeat_rate'],
        ['customer_health.churn_rate', 'churn'],
        ['customer_health.historical_ltv', 'ltv'],
        ['customer_health.f2_conversion_90d', 'f2'],
        ['customer_health.returning_customer_rate', 'returning'],
      ]);
    });

    it('cohort retention, revenue retention and cumulative LTV by cohort month and offset, for one channel', async () => {
      const api = await loadRows(w.server.url, {
        measures: ['cohorts.cohort_retention', 'cohorts.revenue_retention', 'cohorts.cumulative_ltv'],
        dimensions: ['cohorts.month_offset'],
        timeDimensions: [{ dimension: 'cohorts.cohort_month', granularity: 'month', dateRange: ['2025-06-01', '2025-08-31'] }],
        filters: [{ member: 'cohorts.signup_channel', operator: 'equals', values: ['store'] }],
        order: [
          ['cohorts.cohort_month', 'asc'],
          ['cohorts.month_offset', 'asc'],
        ],
      });
      const expected = await sql(`WITH firsts AS (SELECT o.customer_id, CAST(date_trunc('month', min(ordered_at)) AS DATE) AS cohort FROM orders o JOIN customers c USING (customer_id)
          WHERE c.signup_channel = 'store' GROUP BY o.customer_id),
        act AS (SELECT customer_id, CAST(date_trunc('month', ordered_at) AS DATE) AS m, sum(net_amount) AS rev FROM orders WHERE customer_id IS NOT NULL GROUP BY 1, 2),
        months AS (SELECT DISTINCT CAST(date_trunc('month', ordered_at) AS DATE) AS m FROM orders),
        grid AS (SELECT f.customer_id, f.cohort, months.m, date_diff('month', f.cohort, months.m) AS k, COALESCE(a.rev, 0) AS rev,
            sum(COALESCE(a.rev, 0)) OVER (PARTITION BY f.customer_id ORDER BY months.m) AS cum, a.customer_id IS NOT NULL AS active
          FROM firsts f JOIN months ON months.m >= f.cohort LEFT JOIN act a ON a.customer_id = f.customer_id AND a.m = months.m),
        first_rev AS (SELECT customer_id, rev AS r0 FROM grid WHERE k = 0)
        SELECT cohort, k, count(*) FILTER (WHERE active) * 1.0 / count(*) AS retention, sum(rev) / sum(r0) AS rev_ret, sum(cum) / count(*) AS cum_ltv
        FROM grid JOIN first_rev USING (customer_id) WHERE cohort BETWEEN DATE '2025-06-01' AND DATE '2025-08-31' GROUP BY cohort, k ORDER BY cohort, k`);
      expectRowsClose(api, expected, [
        ['cohorts.cohort_retention', 'retention'],
        ['cohorts.revenue_retention', 'rev_ret'],
        ['cohorts.cumulative_ltv', 'cum_ltv'],
      ]);
      expect(api.filter((r) => Number(r['cohorts.month_offset']) === 0).map((r) => Number(r['cohorts.cohort_retention']))).toEqual([1, 1, 1]);
    });

    it('campaign conversion by group, lift with its 95 % CI and incrementals, by campaign objective', async () => {
      const api = await loadRows(w.server.url, {
        measures: [
          'campaign_performance.treatment_conversion',
          'campaign_performance.control_conversion',
          'campaign_performance.campaign_lift',
          'campaign_performance.lift_ci_low',
          'campaign_performance.lift_ci_high',
          'campaign_performance.incremental_conversions',
          'campaign_performance.incremental_revenue_per_treated',
        ],
        dimensions: ['campaign_performance.campaigns_objective'],
        order: { 'campaign_performance.campaigns_objective': 'asc' },
      });
      const expected = await sql(`WITH r AS (SELECT m.customer_id, m.campaign_id, m.group_name, c.objective,
            (SELECT count(*) FROM orders o WHERE o.customer_id = m.customer_id AND o.ordered_at > m.assigned_at AND CAST(o.ordered_at AS DATE) <= CAST(m.assigned_at AS DATE) + c.attribution_days) > 0 AS conv,
            (SELECT COALESCE(sum(net_amount), 0) FROM orders o WHERE o.customer_id = m.customer_id AND o.ordered_at > m.assigned_at AND CAST(o.ordered_at AS DATE) <= CAST(m.assigned_at AS DATE) + c.attribution_days) AS rev
          FROM campaign_members m JOIN campaigns c USING (campaign_id)),
        g AS (SELECT objective, avg(CASE WHEN conv THEN 1.0 ELSE 0 END) FILTER (WHERE group_name = 'treatment') AS t, avg(CASE WHEN conv THEN 1.0 ELSE 0 END) FILTER (WHERE group_name = 'control') AS c,
            count(*) FILTER (WHERE group_name = 'treatment') AS nt, count(*) FILTER (WHERE group_name = 'control') AS nc,
            avg(rev) FILTER (WHERE group_name = 'treatment') AS rt, avg(rev) FILTER (WHERE group_name = 'control') AS rc FROM r GROUP BY objective)
        SELECT objective, t, c, nt, nc, (t - c) / NULLIF(c, 0) AS lift, (t - c) * nt AS inc, rt - rc AS inc_rev FROM g ORDER BY objective`);
      // The difference's interval: Newcombe's hybrid score interval, computed apart from the model.
      for (const e of expected) [e.lo, e.hi] = newcombe(Number(e.t) * Number(e.nt), Number(e.nt), Number(e.c) * Number(e.nc), Number(e.nc), 1.96);
      expectRowsClose(api, expected, [
        ['campaign_performance.treatment_conversion', 't'],
        ['campaign_performance.control_conversion', 'c'],
        ['campaign_performance.campaign_lift', 'lift'],
        ['campaign_performance.lift_ci_low', 'lo'],
        ['campaign_performance.lift_ci_high', 'hi'],
        ['campaign_performance.incremental_conversions', 'inc'],
        ['campaign_performance.incremental_revenue_per_treated', 'inc_rev'],
      ]);
    });

    it('new customers and flow KPI attainment by month and tenant', async () => {
      const api = await loadRows(w.server.url, {
        measures: ['kpi_attainment.new_customers', 'kpi_attainment.revenue_attainment', 'kpi_attainment.active_customers_attainment'],
        dimensions: ['kpi_attainment.tenant_id'],
        timeDimensions: [{ dimension: 'kpi_attainment.month', granularity: 'month', dateRange: ['2026-07-01', '2026-10-31'] }],
        order: [
          ['kpi_attainment.month', 'asc'],
          ['kpi_attainment.tenant_id', 'asc'],
        ],
      });
      const expected = await sql(`WITH firsts AS (SELECT customer_id, min(ordered_at) AS f FROM orders WHERE customer_id IS NOT NULL GROUP BY 1),
        a AS (SELECT tenant_id, CAST(date_trunc('month', ordered_at) AS DATE) AS m, sum(net_amount) AS rev, count(DISTINCT customer_id) AS act FROM orders GROUP BY 1, 2)
        SELECT a.m, a.tenant_id,
          (SELECT count(*) FROM firsts JOIN customers c USING (customer_id) WHERE c.tenant_id = a.tenant_id AND date_trunc('month', firsts.f) = a.m) AS new_customers,
          a.rev / (SELECT target_value FROM kpi_targets t WHERE t.tenant_id = a.tenant_id AND t.month = a.m AND metric = 'revenue') AS rev_att,
          a.act / (SELECT target_value FROM kpi_targets t WHERE t.tenant_id = a.tenant_id AND t.month = a.m AND metric = 'active_customers') AS act_att
        FROM a WHERE a.m BETWEEN DATE '2026-07-01' AND DATE '2026-10-01' ORDER BY a.m, a.tenant_id`);
      expectRowsClose(api, expected, [
        ['kpi_attainment.new_customers', 'new_customers'],
        ['kpi_attainment.revenue_attainment', 'rev_att'],
        ['kpi_attainment.active_customers_attainment', 'act_att'],
      ]);
    });

    for (const [from, to] of [
      ['2025-01-01', '2026-01-01'],
      ['2024-01-01', '2026-01-01'],
    ]) {
      it(`tier migration from ${from} to ${to} (the tier held on each date)`, async () => {
        const api = await loadRows(w.server.url, {
          measures: ['tier_migration.members'],
          dimensions: ['tier_migration.from_tier', 'tier_migration.to_tier'],
          timeDimensions: [{ dimension: 'tier_migration.from_date', dateRange: [from, from] }],
          filters: [{ member: 'tier_migration.to_date', operator: 'inDateRange', values: [to, to] }],
          order: [
            ['tier_migration.from_tier', 'asc'],
            ['tier_migration.to_tier', 'asc'],
          ],
        });
        const tierOn = (date: string) =>
          `COALESCE((SELECT tier FROM customer_tiers t WHERE t.customer_id = c.customer_id AND t.valid_from <= DATE '${date}' AND (t.valid_to IS NULL OR t.valid_to >= DATE '${date}')), 'regular')`;
        const expected = await sql(`WITH tier_on AS (SELECT c.customer_id, ${tierOn(from)} AS f, ${tierOn(to)} AS t FROM customers c WHERE c.signup_date < DATE '${from}')
          SELECT f, t, count(*) AS n FROM tier_on GROUP BY 1, 2 ORDER BY 1, 2`);
        expect(api.map((r) => [r['tier_migration.from_tier'], r['tier_migration.to_tier'], Number(r['tier_migration.members'])])).toEqual(expected.map((r) => [r.f, r.t, Number(r.n)]));
        // Spending moves members between tiers: the matrix is not just its diagonal.
        expect(expected.some((r) => r.f !== r.t)).toBe(true);
      });
    }

    it('RFM scores are quintiles within each tenant and segments follow the documented rule', async () => {
      const api = await loadRows(w.server.url, {
        measures: ['customer_segments.segment_size'],
        dimensions: ['customer_segments.tenant_id', 'customer_segments.rfm_segment'],
        order: [
          ['customer_segments.tenant_id', 'asc'],
          ['customer_segments.rfm_segment', 'asc'],
        ],
      });
      const expected = await sql(`WITH f AS (${MEMBER_FACTS}),
        b AS (SELECT customer_id, ${rfmScoreSql('tenant_id', 'CAST(last_at AS DATE)')} AS r, ${rfmScoreSql('tenant_id', 'days')} AS fr,
            ${rfmScoreSql('tenant_id', 'revenue')} AS mo FROM f WHERE n_orders > 0),
        s AS (SELECT * FROM f LEFT JOIN b USING (customer_id))
        SELECT tenant_id, CASE WHEN r IS NULL THEN 'no_orders' WHEN r >= 4 AND fr >= 4 AND mo >= 4 THEN 'champions' WHEN r <= 2 AND fr >= 4 AND mo >= 4 THEN 'cant_lose'
          WHEN r <= 2 AND fr >= 3 THEN 'at_risk' WHEN r >= 3 AND fr >= 4 THEN 'loyal' WHEN r >= 4 AND fr <= 1 THEN 'new' WHEN r >= 3 THEN 'potential'
          WHEN r = 1 AND fr <= 2 THEN 'lost' ELSE 'hibernating' END AS seg, count(*) AS n
        FROM s GROUP BY 1, 2 ORDER BY 1, 2`);
      expect(api.map((r) => [r['customer_segments.tenant_id'], r['customer_segments.rfm_segment'], Number(r['customer_segments.segment_size'])])).toEqual(
        expected.map((r) => [r.tenant_id, r.seg, Number(r.n)]),
      );
    });
  });
}
