import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { startServer, type RunningServer } from '../../cube/server.js';
import { TEST_SECRET, tokenFor } from '../support/apiClient.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { EVENTS_SQL, FIXTURE_MODEL } from './fixtures.js';

/*
 * /sql answered a marketer the SQL Cube generates for a query: the private cubes behind a view,
 * the rollup's table name (crm_pre_aggregations.…) and its load SQL, and /dry-run the query plan;
 * none of it is a figure, all of it is the model's inside (ENGINE's review of issue 21). Only
 * roles that see personal data (admin, crm_manager) may read them now.
 */
const tmp = tempDir();
let server: RunningServer;
const query = { measures: ['board.customers'], dimensions: ['board.tenant_id'] };
const ask = (route: 'sql' | 'dry-run', token: string) => fetch(`${server.url}/cubejs-api/v1/${route}?query=${encodeURIComponent(JSON.stringify(query))}`, { headers: { Authorization: token } });

beforeAll(async () => {
  const warehouse = path.join(tmp.dir, 'w.duckdb');
  await createDuckDBFile(warehouse, EVENTS_SQL);
  server = await startServer({ warehouse, apiSecret: TEST_SECRET, port: 0, modelPath: FIXTURE_MODEL, webDist: null, refreshIntervalSeconds: 0 });
});
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

describe('the generated SQL and query plan', () => {
  for (const role of ['marketer', 'executive', 'viewer'] as const) {
    for (const route of ['sql', 'dry-run'] as const) {
      it(`are refused to a ${role} on /${route}, naming no table or cube`, async () => {
        const res = await ask(route, tokenFor({ tenant_id: 't01', role }));
        expect(res.status).toBe(403);
        const text = await res.text();
        expect(JSON.parse(text)).toEqual({ error: `The generated SQL and query plan are for admins and CRM managers (role ${role}): ask for figures with /cubejs-api/v1/load.` });
        expect(text).not.toMatch(/SELECT|crm_pre_aggregations|events/i);
      });
    }
  }

  it('are answered to a CRM manager and an admin', async () => {
    for (const token of [tokenFor({ tenant_id: 't01', role: 'crm_manager' }), tokenFor({ tenant_id: '*', role: 'admin' })]) {
      const sql = await ask('sql', token);
      expect(sql.status).toBe(200);
      expect(JSON.stringify(await sql.json())).toMatch(/SELECT/i);
      expect((await ask('dry-run', token)).status).toBe(200);
    }
  });

  it('still say 401 to a missing token', async () => {
    expect((await fetch(`${server.url}/cubejs-api/v1/sql?query=${encodeURIComponent(JSON.stringify(query))}`)).status).toBe(401);
  });
});
