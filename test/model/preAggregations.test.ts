import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load, tokenFor } from '../support/apiClient.js';
import { serveGeneratedWarehouse, type ServedWarehouse } from '../support/warehouses.js';

// The board's and the cohort matrix's queries are answered from rollups built inside the
// warehouse (no Cube Store), also for a tenant-scoped token.
let w: ServedWarehouse;
beforeAll(async () => {
  w = await serveGeneratedWarehouse('duckdb');
});
afterAll(async () => w?.stop());

const used = async (query: object, token?: string) => {
  const { status, body } = await load(w.server.url, query, token);
  expect(status, JSON.stringify(body)).toBe(200);
  return Object.keys(body.usedPreAggregations ?? {});
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
    // Roles under small-group suppression also ask for the distinct-customer count of each
    // cell, which a rollup cannot re-aggregate: those board queries read the orders table.
    expect(await used({ measures: ['executive_kpis.revenue'], dimensions: ['executive_kpis.region'] }, tokenFor({ tenant_id: 't01', role: 'executive' }))).toEqual([]);
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
