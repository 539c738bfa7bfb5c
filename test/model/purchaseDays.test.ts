import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { startServer, type RunningServer } from '../../cube/server.js';
import { loadRows, TEST_SECRET } from '../support/apiClient.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { HAND_FIXTURE_SQL } from './fixture.js';

/*
 * Repeat, F2 and frequency count purchase days (days with an order), not orders: a second
 * invoice on the same day is not a repeat (issue 20 item 13). The hand fixture's members, with
 * their orders replaced by these (ref = 2026-09-30, the last day with an order):
 *
 *   c1  2026-05-01 10:00, 2026-05-01 15:00        2 orders, 1 purchase day
 *   c2  2026-05-01 10:00, 2026-05-20 10:00        2 orders, 2 purchase days (second after 19 days)
 *   c3  2026-05-01 10:00, 2026-05-01 11:00, 2026-06-10 10:00   3 orders, 2 purchase days (second after 40 days)
 *   c4  2026-09-30 10:00                          1 order
 */
const ORDERS: [number, number, string][] = [
  [1, 1, '2026-05-01 10:00:00'],
  [2, 1, '2026-05-01 15:00:00'],
  [3, 2, '2026-05-01 10:00:00'],
  [4, 2, '2026-05-20 10:00:00'],
  [5, 3, '2026-05-01 10:00:00'],
  [6, 3, '2026-05-01 11:00:00'],
  [7, 3, '2026-06-10 10:00:00'],
  [8, 4, '2026-09-30 10:00:00'],
];
const tmp = tempDir();
let server: RunningServer;

beforeAll(async () => {
  const file = path.join(tmp.dir, 'purchase-days.duckdb');
  const orders = ORDERS.map(([id, c, at]) => `(${id}, 't01', ${c}, 1, 'store', TIMESTAMP '${at}', 1000, 0, 1000, NULL, 0, 10)`).join(', ');
  await createDuckDBFile(file, `${HAND_FIXTURE_SQL}\nDELETE FROM order_items; DELETE FROM orders; INSERT INTO orders VALUES ${orders};`);
  server = await startServer({ warehouse: file, apiSecret: TEST_SECRET, port: 0, webDist: null, refreshIntervalSeconds: 0 });
});
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

describe('purchase days', () => {
  it('as of ref: repeat rate, F2 conversion and frequency count days with an order; orders stay orders', async () => {
    const [row] = await loadRows(server.url, {
      measures: ['customer_segments.buyers', 'customer_segments.repeat_rate', 'customer_segments.f2_conversion_90d', 'customer_segments.frequency'],
    });
    // Buyers c1-c4. Repeat: c2 and c3 (c1's two orders are one day) -> 2 / 4 (counting orders: 3 / 4).
    expect(Number(row['customer_segments.buyers'])).toBe(4);
    expect(Number(row['customer_segments.repeat_rate'])).toBeCloseTo(0.5, 9);
    // F2: first order on or before ref - 90 (2026-07-02): c1, c2, c3; a later day within 90 days: c2, c3 -> 2 / 3.
    expect(Number(row['customer_segments.f2_conversion_90d'])).toBeCloseTo(2 / 3, 9);
    // Purchase days 1 + 2 + 2 + 1 = 6 over 4 buyers (counting orders: 8 / 4 = 2).
    expect(Number(row['customer_segments.frequency'])).toBeCloseTo(1.5, 9);
    const members = await loadRows(server.url, {
      dimensions: ['customer_segments.customer_id', 'customer_segments.order_count', 'customer_segments.purchase_days'],
      filters: [{ member: 'customer_segments.order_count', operator: 'gt', values: ['0'] }],
      order: { 'customer_segments.customer_id': 'asc' },
    });
    // Each member's orders and purchase days, as listed above.
    expect(members.map((r) => [r['customer_segments.customer_id'], Number(r['customer_segments.order_count']), Number(r['customer_segments.purchase_days'])])).toEqual([
      ['1', 2, 1],
      ['2', 2, 2],
      ['3', 3, 2],
      ['4', 1, 1],
    ]);
  });

  it('at each month end: May repeat rate counts only c2', async () => {
    const rows = await loadRows(server.url, {
      measures: ['customer_health.repeat_rate'],
      timeDimensions: [{ dimension: 'customer_health.month', granularity: 'month', dateRange: ['2026-05-01', '2026-06-30'] }],
      order: { 'customer_health.month': 'asc' },
    });
    // By 2026-05-31: buyers c1 c2 c3; two purchase days: c2 only -> 1 / 3 (counting orders: 3 / 3).
    // By 2026-06-30: c3's 06-10 order is its second day -> 2 / 3.
    expect(rows.map((r) => Number(r['customer_health.repeat_rate']))).toEqual([1 / 3, 2 / 3].map((v) => expect.closeTo(v, 9)));
  });

  it('the F score ranks purchase days: c1, whose two orders fell on one day, scores with the one-day buyer', async () => {
    const rows = await loadRows(server.url, {
      measures: ['customer_segments.segment_size'],
      dimensions: ['customer_segments.f_score'],
      order: { 'customer_segments.f_score': 'asc' },
    });
    // Purchase days c1 1, c4 1 (rank 1 -> 1 + floor(5 × 0 / 4) = 1); c2 2, c3 2 (rank 3 -> 1 + floor(5 × 2 / 4) = 3).
    expect(rows.filter((r) => r['customer_segments.f_score'] !== null).map((r) => [Number(r['customer_segments.f_score']), Number(r['customer_segments.segment_size'])])).toEqual([
      [1, 2],
      [3, 2],
    ]);
  });
});
