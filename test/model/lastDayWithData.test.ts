import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor } from '../support/apiClient.js';
import { queryDuckDBFile } from '../support/duckdbFile.js';
import { loadWithRollups } from '../support/rollupsServing.js';
import { serveGeneratedWarehouse, type ServedWarehouse } from '../support/warehouses.js';
import { lastDayOf, lastDayQuery } from '../../web/src/board/boardQueries.js';

/**
 * The board dates every period by the model's last day with data (issue 20 item 3):
 * executive_kpis.last_order_date, the latest order's day, per tenant or over the tenants a token
 * sees. The same day on DuckDB and on Postgres (a DATE must not come back shifted by the server's
 * time zone), from the board's daily rollup.
 */
const LAST_DAY = 'executive_kpis.last_order_date';
const TENANT = 'executive_kpis.tenant_id';

describe.each(['duckdb', 'postgres'] as const)('the last day with data on %s', (kind) => {
  let w: ServedWarehouse;
  beforeAll(async () => {
    w = await serveGeneratedWarehouse(kind);
  }, 300_000);
  afterAll(async () => w?.stop());

  /** The board's own query and reading of it, with the rollups that answered. */
  async function lastDay(token: string, tenant: string | null = null) {
    const { status, body, rollups } = await loadWithRollups(w.server.url, lastDayQuery(LAST_DAY, { tenantDimension: TENANT, tenant }), token);
    expect(status, JSON.stringify(body)).toBe(200);
    return { day: lastDayOf(body.data, LAST_DAY), rollups };
  }

  it('is the day of the latest order, per tenant and over all tenants, as plain SQL finds it', async () => {
    const rows = await queryDuckDBFile(w.duckdbFile, "SELECT tenant_id, strftime(max(CAST(ordered_at AS DATE)), '%Y-%m-%d') AS day FROM orders GROUP BY ALL ORDER BY tenant_id");
    const expected = Object.fromEntries(rows.map((r) => [String(r.tenant_id), String(r.day)]));
    // The generator's fixed reference date (DESIGN.md): every generated tenant's data end on 2026-10-31.
    expect(expected).toEqual({ t01: '2026-10-31', t02: '2026-10-31' });
    const admin = tokenFor({ tenant_id: '*', role: 'admin' });
    expect(await lastDay(admin)).toEqual({ day: '2026-10-31', rollups: ['crm_pre_aggregations.orders_board_daily'] });
    for (const tenant of ['t01', 't02']) expect((await lastDay(admin, tenant)).day).toBe(expected[tenant]);
  });

  it("answers a tenant's executive (under small-group suppression) with their own tenant's day", async () => {
    expect((await lastDay(tokenFor({ tenant_id: 't02', role: 'executive' }))).day).toBe('2026-10-31');
  });
});
