import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { startServer, type RunningServer } from '../../cube/server.js';
import { SCHEMA_SQL } from '../../seeds/generate.js';
import { loadRows, TEST_SECRET } from '../support/apiClient.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';

// DESIGN.md: days between two events are calendar days in the warehouse's local time, so an
// event on the 90th day counts whatever its time of day. Each member below sits on a boundary;
// the timestamp arithmetic this replaced got the figures in the comments marked "was".
//
//   member  orders                                         ref = 2026-06-30 (last order's day)
//   1       2026-01-01 10:00, 2026-04-01 14:00             second on day 90 (Jan 1 + 90 d = Apr 1)
//   2       2026-04-01 15:00, 2026-06-30 09:00             first on ref - 90 (Apr 1), second on day 90
//   3       2026-01-01 10:00, 2026-04-02 08:00             second on day 91
//   4       2025-12-31 23:30                               last order 181 days before ref
//   5       2026-01-01 00:30                               last order exactly 180 days before ref
//   6       2026-03-31 14:00                               campaign member, ordered on day 30
//   7       2026-03-01 08:00                               campaign member, ordered before assignment
//
// F2 eligible (first order on or before 2026-04-01): all 7 (was 6: member 2's first order at
// 15:00 is after 2026-04-01 00:00); converted: 1 2 = 2 (was 0) -> 2/7.
// Dormant (last order more than 180 days before ref, i.e. before 2026-01-01): member 4 only -> 1;
// churn 1 / 7 buyers.
// Campaign 1, assigned 2026-03-01 09:00 with a 30-day window (to 2026-03-31 inclusive):
// treatment member 6 converts (was not: 03-31 14:00 > 03-01 09:00 + 30 d); control member 7's
// order came before the assignment and does not count -> treatment 1/1, control 0/1.
const ORDERS: [number, string][] = [
  [1, '2026-01-01 10:00'],
  [1, '2026-04-01 14:00'],
  [2, '2026-04-01 15:00'],
  [2, '2026-06-30 09:00'],
  [3, '2026-01-01 10:00'],
  [3, '2026-04-02 08:00'],
  [4, '2025-12-31 23:30'],
  [5, '2026-01-01 00:30'],
  [6, '2026-03-31 14:00'],
  [7, '2026-03-01 08:00'],
];

const FIXTURE_SQL = `${SCHEMA_SQL}
INSERT INTO tenants (tenant_id, name, fiscal_year_start_month, currency) VALUES ('t01', 'Fixture Retail', 4, 'JPY');
INSERT INTO stores VALUES (1, 't01', 'Shibuya', 'Tokyo', 'Kanto', 'department');
INSERT INTO customers
  SELECT i, 't01', DATE '2025-12-01', 'store', DATE '1980-01-01', 'female', 'Tokyo', 'Kanto', 1, true, false,
    'Member ' || i, 'member' || i || '@example.jp', '090-0000-000' || i
  FROM range(1, 8) t(i);
INSERT INTO orders VALUES ${ORDERS.map(([c, at], i) => `(${i + 1}, 't01', ${c}, 1, 'store', TIMESTAMP '${at}:00', 1000, 0, 1000, NULL, 0, 10)`).join(', ')};
INSERT INTO campaigns VALUES (1, 't01', 'March', 'email', 'cross_sell', DATE '2026-03-01', DATE '2026-03-14', 30);
INSERT INTO campaign_members VALUES
  (1, 6, 'treatment', TIMESTAMP '2026-03-01 09:00:00', NULL, NULL, NULL, NULL),
  (1, 7, 'control', TIMESTAMP '2026-03-01 09:00:00', NULL, NULL, NULL, NULL);
`;

const tmp = tempDir();
let server: RunningServer;

beforeAll(async () => {
  const file = path.join(tmp.dir, 'days.duckdb');
  await createDuckDBFile(file, FIXTURE_SQL);
  server = await startServer({ warehouse: file, apiSecret: TEST_SECRET, port: 0, webDist: null, refreshIntervalSeconds: 0 });
});
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

describe('day-based KPIs count calendar days', () => {
  it('F2 conversion, dormant and churn at ref', async () => {
    const [row] = await loadRows(server.url, { measures: ['customer_segments.f2_conversion_90d', 'customer_segments.dormant_customers', 'customer_segments.churn_rate'] });
    expect(Number(row['customer_segments.f2_conversion_90d'])).toBeCloseTo(2 / 7, 9);
    expect(Number(row['customer_segments.dormant_customers'])).toBe(1);
    expect(Number(row['customer_segments.churn_rate'])).toBeCloseTo(1 / 7, 9);
  });

  it('the same at the June month end of the monthly snapshot', async () => {
    const [row] = await loadRows(server.url, {
      measures: ['customer_health.f2_conversion_90d', 'customer_health.churn_rate'],
      timeDimensions: [{ dimension: 'customer_health.month', granularity: 'month', dateRange: ['2026-06-01', '2026-06-30'] }],
    });
    expect(Number(row['customer_health.f2_conversion_90d'])).toBeCloseTo(2 / 7, 9);
    expect(Number(row['customer_health.churn_rate'])).toBeCloseTo(1 / 7, 9);
  });

  it('campaign conversion within the attribution window', async () => {
    const [row] = await loadRows(server.url, { measures: ['campaign_performance.treatment_conversion', 'campaign_performance.control_conversion'] });
    expect(Number(row['campaign_performance.treatment_conversion'])).toBe(1);
    expect(Number(row['campaign_performance.control_conversion'])).toBe(0);
  });
});
