import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, load, tokenFor } from '../support/apiClient.js';
import { loadWithRollups } from '../support/rollupsServing.js';
import { serveGeneratedWarehouse, type ServedWarehouse } from '../support/warehouses.js';

// Attack: a client reads the warehouse's internal table names (schema, rollup, version hash) off
// an answer. Cube names the rollups that served a query (`usedPreAggregations`); the server
// records them in the audit trail and tells no client, not the web app (which never read them)
// nor an embed on a portal.
let w: ServedWarehouse;
beforeAll(async () => {
  w = await serveGeneratedWarehouse('duckdb', { charts: true });
});
afterAll(async () => w?.stop());

/** The board's revenue by region, which the rollup orders_board_daily answers (preAggregations.test.ts). */
const REVENUE_BY_REGION = {
  measures: ['executive_kpis.revenue'],
  dimensions: ['executive_kpis.region'],
  timeDimensions: [{ dimension: 'executive_kpis.ordered_at', dateRange: ['2026-10-01', '2026-10-31'] }],
};
const INTERNAL_NAME = /crm_pre_aggregations|orders_board_daily|usedPreAggregations/;

describe('rollup table names', () => {
  it("are not in a marketer's /load answer, though a rollup served it", async () => {
    const { status, body, rollups } = await loadWithRollups(w.server.url, REVENUE_BY_REGION, tokenFor({ tenant_id: 't02', role: 'marketer' }));
    expect(status, JSON.stringify(body)).toBe(200);
    expect(rollups).toEqual(['crm_pre_aggregations.orders_board_daily']);
    expect(JSON.stringify(body)).not.toMatch(INTERNAL_NAME);
  });

  it('are not in any of the results of a multi-query answer (what the web app sends to compare periods)', async () => {
    const compared = {
      ...REVENUE_BY_REGION,
      timeDimensions: [
        {
          dimension: 'executive_kpis.ordered_at',
          compareDateRange: [
            ['2026-09-01', '2026-09-30'],
            ['2026-10-01', '2026-10-31'],
          ],
        },
      ],
    };
    const token = tokenFor({ tenant_id: 't02', role: 'marketer' });
    const { status, body } = await load(w.server.url, compared, token, 'multi');
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.results).toHaveLength(2);
    expect(JSON.stringify(body)).not.toMatch(INTERNAL_NAME);
  });

  it("are not in an embed's data answer, though a rollup served it", async () => {
    const post = (url: string, body: unknown) =>
      fetch(`${w.server.url}${url}`, { method: 'POST', headers: { Authorization: ADMIN_TOKEN(), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const { chart } = await (await post('/api/charts', { title: '地域別売上', chartType: 'bar', query: REVENUE_BY_REGION, tenant_id: 't02' })).json();
    const { token } = await (await post(`/api/charts/${chart.id}/embed-tokens`, { tenant_id: 't02' })).json();
    const res = await fetch(`${w.server.url}/api/embed/${chart.id}/data`, { headers: { Authorization: `Bearer ${token}` } });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(JSON.parse(text).result.data.length).toBeGreaterThan(0);
    expect(text).not.toMatch(INTERNAL_NAME);
    // The embed's query, as the audit trail recorded it: served from the rollup all the same.
    const audit = await (await fetch(`${w.server.url}/api/audit?kind=query&limit=20`, { headers: { Authorization: ADMIN_TOKEN() } })).json();
    const embedQuery = audit.events.find((e: { role: string }) => e.role === 'embed');
    expect(embedQuery.detail.rollups).toEqual(['crm_pre_aggregations.orders_board_daily']);
  });
});
