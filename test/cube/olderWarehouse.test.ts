import { afterAll, beforeAll, expect, it } from 'vitest';
import path from 'node:path';
import { startServer, type RunningServer } from '../../cube/server.js';
import { SCHEMA_SQL } from '../../seeds/generate.js';
import { loadRows, TEST_SECRET } from '../support/apiClient.js';
import { createDuckDBFile, queryDuckDBFile, tempDir } from '../support/duckdbFile.js';

// A warehouse made before tenants had a fiscal year and a currency: the tenants table as it was
// (tenant_id, name), one order. The server adds the columns at start (defaults: April, JPY), so
// the board's queries that read them answer instead of failing on a missing column.
const OLDER_SCHEMA = SCHEMA_SQL.replace(/CREATE TABLE tenants \([\s\S]*?\n\);/, 'CREATE TABLE tenants (tenant_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL);');
const FIXTURE_SQL = `${OLDER_SCHEMA}
INSERT INTO tenants VALUES ('t01', 'Older Retail');
INSERT INTO stores VALUES (1, 't01', 'Ginza', 'Tokyo', 'Kanto', 'department');
INSERT INTO orders VALUES (1, 't01', NULL, 1, 'store', TIMESTAMP '2026-05-10 10:00:00', 5000, 0, 5000, NULL, 0, 0);
`;

const tmp = tempDir();
const file = path.join(tmp.dir, 'older.duckdb');
let server: RunningServer;

beforeAll(async () => {
  await createDuckDBFile(file, FIXTURE_SQL);
  expect((await queryDuckDBFile(file, "SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'tenants'"))[0].n).toBe('2');
  server = await startServer({ warehouse: file, apiSecret: TEST_SECRET, port: 0, webDist: null, refreshIntervalSeconds: 0 });
});
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

it("gives an older warehouse's tenants the fiscal year and currency columns at start", async () => {
  const [row] = await loadRows(server.url, {
    measures: ['executive_kpis.revenue'],
    dimensions: ['executive_kpis.fiscal_year_start_month', 'executive_kpis.currency', 'executive_kpis.fiscal_year'],
  });
  // 2026-05-10 is in 2026年度 for an April start.
  expect(row).toMatchObject({ 'executive_kpis.fiscal_year_start_month': '4', 'executive_kpis.currency': 'JPY', 'executive_kpis.fiscal_year': '2026', 'executive_kpis.revenue': '5000' });
});
