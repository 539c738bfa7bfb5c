import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load, loadRows, tokenFor } from '../support/apiClient.js';
import { serveGeneratedWarehouse, type ServedWarehouse } from '../support/warehouses.js';

// Issue 19 attack review, third finding: a customer list may filter on what a member is, and a
// member's first and last order days counted as that. But a t01 marketer's list filtered on
// last_order_at = one day named the members who last ordered that day (before: 200 and their
// member numbers), one list per day gave every member's last order day, and a list grouped by
// last_order_at by day showed it outright. Lists now narrow and show times by whole months at
// the finest (cube/policy/categoryFilters.ts, suppression.ts LIST_GRANULARITIES).
let w: ServedWarehouse;
const marketer = tokenFor({ tenant_id: 't01', role: 'marketer' });
const manager = tokenFor({ tenant_id: 't01', role: 'crm_manager' });
const S = 'customer_segments';
const list = { dimensions: [`${S}.customer_id`, `${S}.region`], order: { [`${S}.customer_id`]: 'asc' }, limit: 100 };

beforeAll(async () => {
  w = await serveGeneratedWarehouse('duckdb');
}, 120_000);
afterAll(async () => {
  await w?.stop();
});

describe('a customer list narrows by time in whole months only', () => {
  const byDay = {
    'last_order_at on one day': { ...list, filters: [{ member: `${S}.last_order_at`, operator: 'inDateRange', values: ['2025-06-10', '2025-06-10'] }] },
    'first_order_at after a day': { ...list, filters: [{ member: `${S}.first_order_at`, operator: 'afterDate', values: ['2025-06-10'] }] },
    'last_order_at before the last day of a month': { ...list, filters: [{ member: `${S}.last_order_at`, operator: 'beforeDate', values: ['2025-06-30'] }] },
    'a date range of one day on last_order_at': { ...list, timeDimensions: [{ dimension: `${S}.last_order_at`, dateRange: ['2025-06-10', '2025-06-10'] }] },
    'a day inside an or': {
      ...list,
      filters: [
        {
          or: [
            { member: `${S}.region`, operator: 'equals', values: ['Kanto'] },
            { member: `${S}.last_order_at`, operator: 'inDateRange', values: ['2025-06-01', '2025-06-10'] },
          ],
        },
      ],
    },
  };
  for (const [name, query] of Object.entries(byDay)) {
    it(`refuses a marketer's list filtered on ${name}`, async () => {
      const { status, body } = await load(w.server.url, query, marketer);
      // Before: 200, the members who (last or first) ordered in that span of days.
      expect(status).toBe(403);
      expect(body.error).toMatch(/whole months/);
    });
  }

  it('shows no day of a member’s last order in a list grouped by it', { timeout: 300_000 }, async () => {
    const query = { ...list, timeDimensions: [{ dimension: `${S}.last_order_at`, granularity: 'day' }] };
    const rows = await loadRows(w.server.url, query, marketer);
    expect(rows.length).toBeGreaterThan(10);
    // Before: '2025-06-10T00:00:00.000' and the like, each member's last order day.
    expect(rows.every((r) => r[`${S}.last_order_at.day`] === null)).toBe(true);
  });

  it('still answers lists by whole months, and counts by day', { timeout: 300_000 }, async () => {
    const byMonth = [
      { ...list, filters: [{ member: `${S}.last_order_at`, operator: 'inDateRange', values: ['2025-06-01', '2025-06-30'] }] },
      { ...list, filters: [{ member: `${S}.first_order_at`, operator: 'afterDate', values: ['2025-05-31'] }] },
      { ...list, filters: [{ member: `${S}.first_order_at`, operator: 'beforeDate', values: ['2025-06-01'] }] },
      { ...list, timeDimensions: [{ dimension: `${S}.last_order_at`, granularity: 'month', dateRange: ['2025-01-01', '2025-12-31'] }] },
    ];
    for (const query of byMonth) expect((await load(w.server.url, query, marketer)).status).toBe(200);
    const rows = await loadRows(w.server.url, { ...list, timeDimensions: [{ dimension: `${S}.last_order_at`, granularity: 'month', dateRange: ['2025-01-01', '2025-12-31'] }] }, marketer);
    expect(rows.some((r) => r[`${S}.last_order_at.month`] !== null)).toBe(true);
    // Not a list: a count of members by day says how many, not who.
    const counts = { measures: [`${S}.segment_size`], filters: [{ member: `${S}.last_order_at`, operator: 'inDateRange', values: ['2025-06-01', '2025-06-10'] }] };
    expect((await load(w.server.url, counts, marketer)).status).toBe(200);
    // A role with personal data lists by day as before.
    expect((await load(w.server.url, byDay['last_order_at on one day'], manager)).status).toBe(200);
  });
});
