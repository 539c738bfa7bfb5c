import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load, loadRows, tokenFor } from '../support/apiClient.js';
import { queryDuckDBFile } from '../support/duckdbFile.js';
import { serveGeneratedWarehouse, type ServedWarehouse } from '../support/warehouses.js';

// Month-end snapshot measures through the real API on the generated warehouse: summed over
// months they are refused; read by month they equal a plain SQL count over the raw orders.
let w: ServedWarehouse;
const admin = tokenFor({ tenant_id: '*', role: 'admin' });
const marketer = tokenFor({ tenant_id: 't01', role: 'marketer' });
const T01 = [{ member: 'customer_health.tenant_id', operator: 'equals', values: ['t01'] }];
const SUMMED =
  'customer_health.members_to_date is a month-end snapshot and cannot be added up over several months (that would count the same customers once per month). ' +
  'Group it by customer_health.month with granularity "month" (or finer), or limit customer_health.month to a date range within one month.';

// t01 members whose first order is on or before each month's end, for every month with orders.
const MEMBERS_TO_DATE_SQL = `
  WITH months AS (SELECT DISTINCT date_trunc('month', ordered_at) AS month FROM orders),
  firsts AS (SELECT customer_id, min(ordered_at) AS first_at FROM orders WHERE customer_id IS NOT NULL AND tenant_id = 't01' GROUP BY customer_id)
  SELECT strftime(month, '%Y-%m') AS month, (SELECT count(*) FROM firsts WHERE first_at < month + INTERVAL 1 MONTH) AS members
  FROM months ORDER BY month`;

beforeAll(async () => {
  w = await serveGeneratedWarehouse('duckdb');
});
afterAll(async () => w?.stop());

describe('month-end snapshot measures through the API', () => {
  it('refuses members to date summed over every month, for any role', async () => {
    for (const token of [admin, marketer]) {
      expect(await load(w.server.url, { measures: ['customer_health.members_to_date'], filters: T01 }, token)).toEqual({ status: 400, body: { error: SUMMED } });
    }
    const byYear = await load(w.server.url, { measures: ['customer_health.members_to_date'], timeDimensions: [{ dimension: 'customer_health.month', granularity: 'year' }], filters: T01 }, admin);
    expect(byYear).toEqual({ status: 400, body: { error: SUMMED } });
  });

  it('answers members to date by month with the plain SQL count of members who had ordered by each month end', async () => {
    const expected = await queryDuckDBFile(w.duckdbFile, MEMBERS_TO_DATE_SQL);
    const rows = await loadRows(
      w.server.url,
      {
        measures: ['customer_health.members_to_date'],
        timeDimensions: [{ dimension: 'customer_health.month', granularity: 'month' }],
        filters: T01,
        order: { 'customer_health.month': 'asc' },
      },
      admin,
    );
    expect(rows.map((r) => ({ month: r['customer_health.month.month']!.slice(0, 7), members: Number(r['customer_health.members_to_date']) }))).toEqual(
      expected.map((r) => ({ month: r.month, members: Number(r.members) })),
    );

    // One month's date range reads the same snapshot, whoever asks.
    const last = expected.at(-1)!;
    const [lastMonth] = await loadRows(
      w.server.url,
      {
        measures: ['customer_health.members_to_date'],
        timeDimensions: [{ dimension: 'customer_health.month', dateRange: [`${last.month}-01`, `${last.month}-28`] }],
      },
      marketer,
    );
    // The marketer's count carries sticky noise: a whole count moves by at most 2 (stickyNoise.ts).
    expect(Math.abs(Number(lastMonth['customer_health.members_to_date']) - Number(last.members))).toBeLessThanOrEqual(2);
    const [distinct] = await queryDuckDBFile(w.duckdbFile, "SELECT count(DISTINCT customer_id) AS n FROM orders WHERE tenant_id = 't01' AND customer_id IS NOT NULL");
    expect(Number(last.members)).toBe(Number(distinct.n));
  });
});
