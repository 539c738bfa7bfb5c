import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRows, tokenFor } from '../support/apiClient.js';
import { queryDuckDBFile } from '../support/duckdbFile.js';
import { loadWithRollups } from '../support/rollupsServing.js';
import { serveGeneratedWarehouse, type ServedWarehouse } from '../support/warehouses.js';

// The board's and the cohort matrix's queries are answered from rollups built inside the
// warehouse (no Cube Store), also for a tenant-scoped token.
let w: ServedWarehouse;
beforeAll(async () => {
  w = await serveGeneratedWarehouse('duckdb');
});
afterAll(async () => w?.stop());

/** The rollups that served the query, as the audit trail records them (clients are not told). */
const used = async (query: object, token?: string) => {
  const { status, body, rollups } = await loadWithRollups(w.server.url, query, token);
  expect(status, JSON.stringify(body)).toBe(200);
  return rollups;
};

describe('pre-aggregations', () => {
  it('serve the board: revenue and orders by month, channel, region, tenant', async () => {
    expect(
      await used({
        measures: ['executive_kpis.revenue', 'executive_kpis.orders'],
        dimensions: ['executive_kpis.channel'],
        timeDimensions: [{ dimension: 'executive_kpis.ordered_at', granularity: 'month', dateRange: ['2025-11-01', '2026-10-31'] }],
      }),
    ).toEqual(['crm_pre_aggregations.orders_board_daily']);
    expect(
      await used(
        {
          measures: ['executive_kpis.revenue'],
          dimensions: ['executive_kpis.region'],
          timeDimensions: [{ dimension: 'executive_kpis.ordered_at', dateRange: ['2026-10-01', '2026-10-31'] }],
        },
        tokenFor({ tenant_id: 't01', role: 'crm_manager' }),
      ),
    ).toEqual(['crm_pre_aggregations.orders_board_daily']);
    // Roles under small-group suppression also get each cell's distinct-customer count, which
    // the rollup keeps as distinct ids (cube/duckdb/distinctRollups.ts): served from it too.
    expect(await used({ measures: ['executive_kpis.revenue'], dimensions: ['executive_kpis.region'] }, tokenFor({ tenant_id: 't01', role: 'executive' }))).toEqual([
      'crm_pre_aggregations.orders_board_daily',
    ]);
  });

  it('give active customers from the daily rollup exactly as count(DISTINCT) over the orders, at any coarser grain', async () => {
    const cases: { query: object; sql: string; key: (r: Record<string, unknown>) => string }[] = [
      {
        // A period that is no calendar unit: a customer ordering on several days counts once.
        query: {
          measures: ['executive_kpis.active_customers'],
          dimensions: ['executive_kpis.tenant_id'],
          timeDimensions: [{ dimension: 'executive_kpis.ordered_at', dateRange: ['2026-03-05', '2026-08-20'] }],
        },
        sql: `SELECT tenant_id AS k, count(DISTINCT customer_id) AS n FROM orders WHERE CAST(ordered_at AS DATE) BETWEEN '2026-03-05' AND '2026-08-20' GROUP BY 1`,
        key: (r) => String(r['executive_kpis.tenant_id']),
      },
      {
        // By month and region: a customer ordering in two regions counts in each, once in the total.
        query: {
          measures: ['executive_kpis.active_customers'],
          dimensions: ['executive_kpis.region'],
          timeDimensions: [{ dimension: 'executive_kpis.ordered_at', granularity: 'month', dateRange: ['2026-01-01', '2026-06-30'] }],
        },
        sql: `SELECT s.region || '|' || strftime(date_trunc('month', o.ordered_at), '%Y-%m') AS k, count(DISTINCT o.customer_id) AS n
              FROM orders o JOIN stores s ON s.store_id = o.store_id WHERE CAST(o.ordered_at AS DATE) BETWEEN '2026-01-01' AND '2026-06-30' GROUP BY 1`,
        key: (r) => `${r['executive_kpis.region']}|${String(r['executive_kpis.ordered_at.month']).slice(0, 7)}`,
      },
      {
        query: { measures: ['executive_kpis.active_customers', 'executive_kpis.orders_per_customer'] },
        sql: `SELECT 'all' AS k, count(DISTINCT customer_id) AS n FROM orders`,
        key: () => 'all',
      },
    ];
    for (const { query, sql, key } of cases) {
      expect(await used(query)).toEqual(['crm_pre_aggregations.orders_board_daily']);
      const expected = Object.fromEntries((await queryDuckDBFile(w.duckdbFile, sql)).map((r) => [r.k, Number(r.n)]));
      const actual = Object.fromEntries((await loadRows(w.server.url, query)).map((r) => [key(r), Number(r['executive_kpis.active_customers'])]));
      expect(actual).toEqual(expected);
    }
  });

  it('hide for a suppressed role, from the rollup, exactly the cells the base tables would hide', async () => {
    // Ten days by region x channel: some cells under the minimum of 10 customers. The same
    // period as a filter (not a time dimension) cannot be served by the rollup: the base tables.
    const days = ['2026-10-01', '2026-10-10'];
    const grid = { measures: ['executive_kpis.revenue', 'executive_kpis.orders'], dimensions: ['executive_kpis.region', 'executive_kpis.channel'] };
    const fromRollup = { ...grid, timeDimensions: [{ dimension: 'executive_kpis.ordered_at', dateRange: days }] };
    const fromTables = { ...grid, filters: [{ member: 'executive_kpis.ordered_at', operator: 'inDateRange', values: days }] };
    const executive = tokenFor({ tenant_id: 't02', role: 'executive' });
    const [a, b] = await Promise.all([fromRollup, fromTables].map((q) => loadWithRollups(w.server.url, q, executive)));
    expect(a.rollups).toEqual(['crm_pre_aggregations.orders_board_daily']);
    expect(b.rollups).toEqual([]);
    expect(a.body.suppressed.rows.length).toBeGreaterThan(0);
    expect(a.body.suppressed.rows.length).toBeLessThan(a.body.data.length);
    const sorted = (rows: Record<string, unknown>[]) => [...rows].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
    expect(sorted(a.body.data)).toEqual(sorted(b.body.data));
    expect(a.body.suppressed.withheld).toBe(b.body.suppressed.withheld);
  });

  it('serve the as-of KPIs and attainment by month', async () => {
    expect(
      await used({
        measures: ['customer_health.repeat_rate', 'customer_health.churn_rate', 'customer_health.historical_ltv', 'customer_health.f2_conversion_90d', 'customer_health.repeat_rate_attainment'],
        timeDimensions: [{ dimension: 'customer_health.month', granularity: 'month', dateRange: ['2025-11-01', '2026-10-31'] }],
      }),
    ).toEqual(['crm_pre_aggregations.customer_months_monthly_snapshot']);
    expect(
      await used({
        measures: ['kpi_attainment.revenue_attainment', 'kpi_attainment.new_customers'],
        timeDimensions: [{ dimension: 'kpi_attainment.month', dateRange: ['2026-10-01', '2026-10-31'] }],
      }),
    ).toEqual(['crm_pre_aggregations.kpi_monthly_monthly']);
  });

  it('serve the cohort matrix', async () => {
    expect(
      await used(
        {
          measures: ['cohorts.cohort_retention', 'cohorts.revenue_retention', 'cohorts.cumulative_ltv'],
          dimensions: ['cohorts.month_offset'],
          timeDimensions: [{ dimension: 'cohorts.cohort_month', granularity: 'month' }],
        },
        tokenFor({ tenant_id: 't02', role: 'marketer' }),
      ),
    ).toEqual(['crm_pre_aggregations.customer_months_cohort_matrix']);
  });
});
