import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRows } from '../support/apiClient.js';
import { queryDuckDBFile } from '../support/duckdbFile.js';
import { serveGeneratedWarehouse, type ServedWarehouse } from '../support/warehouses.js';

// Revenue, orders, AOV and active customers through the real API equal plain SQL over the
// same generated rows, by month, channel, region and tenant, on DuckDB and on Postgres.
const money = (v: unknown) => Number(Number(v).toFixed(2));

for (const kind of ['duckdb', 'postgres'] as const) {
  describe(`executive_kpis on ${kind}`, () => {
    let w: ServedWarehouse;
    beforeAll(async () => {
      w = await serveGeneratedWarehouse(kind);
    });
    afterAll(async () => w?.stop());

    it('by month and channel', async () => {
      const api = await loadRows(w.server.url, {
        measures: ['executive_kpis.revenue', 'executive_kpis.orders', 'executive_kpis.aov', 'executive_kpis.active_customers'],
        dimensions: ['executive_kpis.channel'],
        timeDimensions: [{ dimension: 'executive_kpis.ordered_at', granularity: 'month' }],
        order: [
          ['executive_kpis.ordered_at', 'asc'],
          ['executive_kpis.channel', 'asc'],
        ],
      });
      const sql = await queryDuckDBFile(
        w.duckdbFile,
        `
        SELECT strftime(date_trunc('month', ordered_at), '%Y-%m-%dT%H:%M:%S.000') AS month, channel,
          sum(net_amount) AS revenue, count(*) AS orders, sum(net_amount) / count(*) AS aov, count(DISTINCT customer_id) AS active
        FROM orders GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      expect(api.length).toBe(sql.length);
      expect(
        api.map((r) => [
          r['executive_kpis.ordered_at.month'],
          r['executive_kpis.channel'],
          money(r['executive_kpis.revenue']),
          Number(r['executive_kpis.orders']),
          money(r['executive_kpis.aov']),
          Number(r['executive_kpis.active_customers']),
        ]),
      ).toEqual(sql.map((r) => [r.month, r.channel, money(r.revenue), Number(r.orders), money(r.aov), Number(r.active)]));
    });

    it('by tenant and store region', async () => {
      const api = await loadRows(w.server.url, {
        measures: ['executive_kpis.revenue', 'executive_kpis.active_customers'],
        dimensions: ['executive_kpis.tenant_name', 'executive_kpis.region'],
        order: [
          ['executive_kpis.tenant_name', 'asc'],
          ['executive_kpis.region', 'asc'],
        ],
      });
      const sql = await queryDuckDBFile(
        w.duckdbFile,
        `
        SELECT t.name, s.region, sum(o.net_amount) AS revenue, count(DISTINCT o.customer_id) AS active
        FROM orders o JOIN tenants t USING (tenant_id) JOIN stores s USING (store_id) GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      expect(api.map((r) => [r['executive_kpis.tenant_name'], r['executive_kpis.region'], money(r['executive_kpis.revenue']), Number(r['executive_kpis.active_customers'])])).toEqual(
        sql.map((r) => [r.name, r.region, money(r.revenue), Number(r.active)]),
      );
    });

    it('keeps the cubes behind the views private', async () => {
      const { load } = await import('../support/apiClient.js');
      expect(await load(w.server.url, { measures: ['orders.revenue'] })).toEqual({ status: 400, body: { error: 'Unknown member "orders.revenue": query the views and members that /meta lists.' } });
    });

    it("within a date range, for one tenant's token", async () => {
      const { tokenFor } = await import('../support/apiClient.js');
      const api = await loadRows(
        w.server.url,
        {
          measures: ['executive_kpis.revenue'],
          timeDimensions: [{ dimension: 'executive_kpis.ordered_at', dateRange: ['2026-01-01', '2026-03-31'] }],
        },
        // A role with personal data: an executive's figures carry sticky noise (stickyNoise.ts).
        tokenFor({ tenant_id: 't02', role: 'crm_manager' }),
      );
      const [sql] = await queryDuckDBFile(
        w.duckdbFile,
        `SELECT sum(net_amount) AS revenue FROM orders
        WHERE tenant_id = 't02' AND ordered_at >= TIMESTAMP '2026-01-01' AND ordered_at < TIMESTAMP '2026-04-01'`,
      );
      expect(money(api[0]['executive_kpis.revenue'])).toBe(money(sql.revenue));
    });
  });
}
