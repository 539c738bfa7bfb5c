import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { startServer, type RunningServer } from '../../cube/server.js';
import { SCHEMA_SQL } from '../../seeds/generate.js';
import { loadRows, TEST_SECRET } from '../support/apiClient.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';

// Each tenant's reference date is the last day of its own data: a tenant imported from 2011
// beside one whose data runs to 2026 is measured against 2011, not read as wholly dormant.
//
//   tenant  member  orders                        the tenant's ref
//   t01     1       2026-06-01, 2026-06-30        2026-06-30
//   uk      2       2011-12-01, 2011-12-09        2011-12-09
//   uk      3       2011-03-01                    2011-12-09
//
// Dormant (last order more than 180 days before the tenant's ref): uk member 3 only (283 days);
// member 2 ordered 0 days before. Against a global ref (2026-06-30) both uk members were dormant.
// Recency of member 2: 0 days (was 5,317). The uk snapshot has rows up to 2011-12 only.
const FIXTURE_SQL = `${SCHEMA_SQL}
INSERT INTO tenants (tenant_id, name, fiscal_year_start_month, currency) VALUES ('t01', 'Demo', 4, 'JPY'), ('uk', 'Imported', 4, 'GBP');
INSERT INTO stores VALUES (1, 't01', 'Shibuya', 'Tokyo', 'Kanto', 'department'), (2, 'uk', 'Online', 'United Kingdom', 'United Kingdom', 'ec');
INSERT INTO customers VALUES
  (1, 't01', DATE '2026-01-01', 'store', NULL, NULL, NULL, 'Kanto', 1, true, false, NULL, NULL, NULL),
  (2, 'uk', DATE '2011-01-01', 'ec', NULL, NULL, NULL, 'United Kingdom', 2, false, false, NULL, NULL, NULL),
  (3, 'uk', DATE '2011-01-01', 'ec', NULL, NULL, NULL, 'United Kingdom', 2, false, false, NULL, NULL, NULL);
INSERT INTO orders VALUES
  (1, 't01', 1, 1, 'store', TIMESTAMP '2026-06-01 10:00:00', 1000, 0, 1000, NULL, 0, 10),
  (2, 't01', 1, 1, 'store', TIMESTAMP '2026-06-30 10:00:00', 1000, 0, 1000, NULL, 0, 10),
  (3, 'uk', 2, 2, 'ec', TIMESTAMP '2011-12-01 10:00:00', 1000, 0, 1000, NULL, 0, 10),
  (4, 'uk', 2, 2, 'ec', TIMESTAMP '2011-12-09 10:00:00', 1000, 0, 1000, NULL, 0, 10),
  (5, 'uk', 3, 2, 'ec', TIMESTAMP '2011-03-01 10:00:00', 1000, 0, 1000, NULL, 0, 10);
`;

const tmp = tempDir();
let server: RunningServer;

beforeAll(async () => {
  const file = path.join(tmp.dir, 'tenants.duckdb');
  await createDuckDBFile(file, FIXTURE_SQL);
  server = await startServer({ warehouse: file, apiSecret: TEST_SECRET, port: 0, webDist: null, refreshIntervalSeconds: 0 });
});
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

describe('the reference date is per tenant', () => {
  it('dormancy and churn of an imported tenant are measured against its own last day', async () => {
    const rows = await loadRows(server.url, {
      measures: ['customer_segments.dormant_customers', 'customer_segments.churn_rate'],
      dimensions: ['customer_segments.tenant_id'],
      order: { 'customer_segments.tenant_id': 'asc' },
    });
    expect(rows.map((r) => [r['customer_segments.tenant_id'], Number(r['customer_segments.dormant_customers']), Number(r['customer_segments.churn_rate'])])).toEqual([
      ['t01', 0, 0],
      ['uk', 1, 0.5],
    ]);
  });

  it('the monthly snapshot of the imported tenant ends at its own last month', async () => {
    const rows = await loadRows(server.url, {
      measures: ['customer_health.churn_rate'],
      dimensions: ['customer_health.tenant_id'],
      timeDimensions: [{ dimension: 'customer_health.month', granularity: 'month', dateRange: ['2011-01-01', '2026-12-31'] }],
      filters: [{ member: 'customer_health.tenant_id', operator: 'equals', values: ['uk'] }],
      order: { 'customer_health.month': 'asc' },
    });
    const months = rows.map((r) => String(r['customer_health.month.month']).slice(0, 7));
    expect(months[0]).toBe('2011-03');
    expect(months.at(-1)).toBe('2011-12');
    // December 2011: member 3's last order (2011-03-01) is 283 days before the 9th -> dormant: 1 / 2.
    expect(Number(rows.at(-1)!['customer_health.churn_rate'])).toBe(0.5);
  });
});
