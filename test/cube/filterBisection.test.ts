import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load, loadRows, tokenFor } from '../support/apiClient.js';
import { serveGeneratedWarehouse, type ServedWarehouse } from '../support/warehouses.js';

// Issue 19, item 2: bisection through per-member dimensions. A marketer of t01 asks for the
// size of `or[and[customer_id = X, <figure of X> >= N], customer_id in (ten others)]`: 11 when
// X passes the test, 10 when not, so every answer counts at least 10 customers and suppression
// blanks nothing, yet each answer is one bit of X's figure. Before the fix each bisection below
// recovered the figure exactly (lifetime revenue to the yen in 27 probes, the last order to the
// second in 26); now its first probe is refused, naming the member, and no bit is learned.
let w: ServedWarehouse;
const marketer = tokenFor({ tenant_id: 't01', role: 'marketer' });
const manager = tokenFor({ tenant_id: 't01', role: 'crm_manager' });
const V = 'customer_segments';
const SIZE = `${V}.segment_size`;

interface Target {
  id: string;
  revenue: number;
  lastOrderAt: string;
}
let x: Target;
/** Ten members who ordered before X's last order ended (the date-range probes need them inside every range). */
let others: string[];

beforeAll(async () => {
  w = await serveGeneratedWarehouse('duckdb');
  // What a role with personal data reads of X: the answers the bisections must not reach.
  const members = await loadRows(
    w.server.url,
    {
      dimensions: [`${V}.customer_id`, `${V}.lifetime_revenue`, `${V}.last_order_at`],
      filters: [{ member: `${V}.order_count`, operator: 'gt', values: ['0'] }],
      order: { [`${V}.last_order_at`]: 'asc' },
      limit: 5000,
    },
    manager,
  );
  const last = members.at(-1)!;
  x = { id: last[`${V}.customer_id`]!, revenue: Number(last[`${V}.lifetime_revenue`]), lastOrderAt: last[`${V}.last_order_at`]! };
  others = members.slice(0, 10).map((r) => r[`${V}.customer_id`]!);
}, 120_000);
afterAll(async () => {
  await w?.stop();
});

interface Bisection {
  /** The value read, or undefined when a probe was refused before it was pinned down. */
  recovered?: number;
  statuses: number[];
  error?: string;
}

/**
 * Finds the boundary in [lo, hi] (step apart) where the query's answer turns from "X passes"
 * (11 members) to not — the largest n that passes, or with `passesAbove` the smallest — probing
 * as an attacker would; it stops at the first answer that is not a 200, which carries no bit.
 */
async function bisect(query: (n: number) => unknown, lo: number, hi: number, step: number, passesAbove = false): Promise<Bisection> {
  const statuses: number[] = [];
  while (hi - lo > step) {
    const mid = lo + Math.floor((hi - lo) / step / 2) * step;
    const { status, body } = await load(w.server.url, query(mid), marketer);
    statuses.push(status);
    if (status !== 200) return { statuses, error: body.error };
    if ((Number(body.data[0][SIZE]) === 11) !== passesAbove) lo = mid;
    else hi = mid;
  }
  return { recovered: passesAbove ? hi : lo, statuses };
}

const sizeOf = (filters: unknown[], timeDimensions: unknown[] = []) => ({ measures: [SIZE], filters, timeDimensions });
const xAnd = (test: unknown) => ({ or: [{ and: [{ member: `${V}.customer_id`, operator: 'equals', values: [x.id] }, test] }, { member: `${V}.customer_id`, operator: 'equals', values: others }] });
const seconds = (iso: string) => Date.parse(`${iso.slice(0, 19)}Z`) / 1000;
const isoAt = (s: number) => new Date(s * 1000).toISOString().slice(0, 19);

describe('a marketer cannot read one member’s figures by bisection', () => {
  it("refuses the issue's bisection of lifetime revenue: or[and[customer_id = X, lifetime_revenue >= N], ten others]", async () => {
    expect(x.revenue).toBeGreaterThan(0);
    const result = await bisect((n) => sizeOf([xAnd({ member: `${V}.lifetime_revenue`, operator: 'gte', values: [String(n)] })]), 0, 2 ** 27, 1);
    // Before: recovered === x.revenue exactly, in 27 probes of 200.
    expect(result).toEqual({
      statuses: [403],
      error: `Filters on ${V}.customer_id are not available to the marketer role: it is a figure or identifier of single members (not a category), and a filter on it answers a yes/no question about the members it selects.`,
    });
  });

  it('refuses it through the last order time and the predicted CLV too, and nested three levels deep', async () => {
    const lastOrder = await bisect(
      (s) => sizeOf([xAnd({ member: `${V}.last_order_at`, operator: 'afterOrOnDate', values: [isoAt(s)] })]),
      seconds('2020-01-01T00:00:00'),
      seconds(x.lastOrderAt) + 86_400,
      1,
    );
    // The test warehouse has no CLV fit (member_predicted_clv is null), so before the fix this
    // one's 27 probes were answered but read 0; on a fitted warehouse it reads the figure to the cent.
    const clv = await bisect((c) => sizeOf([xAnd({ member: `${V}.member_predicted_clv`, operator: 'gte', values: [(c / 100).toFixed(2)] })]), 0, 100_000_000, 1);
    // and[or[and[customer_id = X, lifetime_revenue >= N]], …]: the same question one group deeper.
    const deep = await bisect((n) => sizeOf([{ and: [{ or: [xAnd({ member: `${V}.lifetime_revenue`, operator: 'gte', values: [String(n)] })] }] }]), 0, 2 ** 27, 1);
    for (const result of [lastOrder, clv, deep]) {
      expect(result.recovered).toBeUndefined();
      expect(result.statuses).toEqual([403]);
      expect(result.error).toMatch(/^Filters on customer_segments\.customer_id are not available to the marketer role/);
    }
  });

  it('refuses a date range with a time of day: X among ten earlier buyers, last_order_at in [2000-01-01, T]', async () => {
    const ids = { member: `${V}.customer_id`, operator: 'equals', values: [x.id, ...others] };
    const probe = (s: number) => sizeOf([ids], [{ dimension: `${V}.last_order_at`, dateRange: ['2000-01-01', isoAt(s)] }]);
    const result = await bisect((s) => probe(s), seconds('2020-01-01T00:00:00'), seconds(x.lastOrderAt) + 86_400, 1, true);
    expect(result.recovered).toBeUndefined();
    expect(result.statuses).toEqual([403]);
    // No identifier this time would still leave the time bound: asked without the member filter, it is refused for its time of day.
    const { status, body } = await load(w.server.url, { measures: [SIZE], timeDimensions: [{ dimension: `${V}.last_order_at`, dateRange: ['2000-01-01', isoAt(seconds(x.lastOrderAt))] }] }, marketer);
    expect(status).toBe(403);
    expect(body.error).toBe(`The marketer role may compare ${V}.last_order_at by whole days only; the date range bound "${x.lastOrderAt.slice(0, 19)}.000" has a time of day.`);
  });
});

describe('what a filter may name for roles under suppression', () => {
  it('refuses each figure, identifier and timestamp of single members, naming it', async () => {
    for (const [member, operator, value] of [
      [`${V}.lifetime_revenue`, 'gte', '100000'],
      [`${V}.member_predicted_clv`, 'gt', '5000'],
      [`${V}.member_p_alive`, 'lt', '0.5'],
      [`${V}.order_count`, 'equals', '3'],
      [`${V}.recency_days`, 'lte', '30'],
      ['customer_orders.order_id', 'equals', '1'],
      ['cohorts.lifetime_revenue', 'gt', '0'],
    ] as const) {
      const view = member.split('.')[0];
      const { status, body } = await load(
        w.server.url,
        { measures: [view === V ? SIZE : view === 'cohorts' ? 'cohorts.cohort_customers' : 'customer_orders.active_customers'], filters: [{ member, operator, values: [value] }] },
        marketer,
      );
      expect([member, status]).toEqual([member, 403]);
      expect(body.error).toMatch(new RegExp(`^Filters on ${member.replace('.', '\\.')} are not available to the marketer role`));
    }
    for (const role of ['executive', 'viewer'] as const) {
      const token = tokenFor({ tenant_id: 't01', role });
      const { status } = await load(
        w.server.url,
        { measures: ['executive_kpis.revenue'], filters: [{ member: 'executive_kpis.ordered_at', operator: 'afterDate', values: ['2024-03-01T12:00:00'] }] },
        token,
      );
      expect([role, status]).toEqual([role, 403]);
    }
  });

  it('answers categories and whole days at any depth: strings, booleans, scores, month offsets, fiscal years, dates, relative ranges', async () => {
    for (const query of [
      sizeOf([
        {
          or: [
            {
              and: [
                { member: `${V}.region`, operator: 'equals', values: ['Kanto'] },
                { member: `${V}.r_score`, operator: 'gte', values: ['4'] },
              ],
            },
            { member: `${V}.is_dormant`, operator: 'equals', values: ['true'] },
          ],
        },
      ]),
      sizeOf([{ member: `${V}.last_order_at`, operator: 'inDateRange', values: ['2024-01-01', '2024-06-30'] }], [{ dimension: `${V}.first_order_at`, dateRange: 'last 12 months' }]),
      sizeOf([], [{ dimension: `${V}.first_order_at`, dateRange: ['2023-01-01T00:00:00', '2024-12-31'] }]),
      { measures: ['cohorts.cohort_customers'], filters: [{ member: 'cohorts.month_offset', operator: 'equals', values: ['3'] }] },
      { measures: ['kpi_landing.revenue_to_date'], filters: [{ member: 'kpi_landing.fiscal_year', operator: 'equals', values: ['2025'] }] },
    ]) {
      const { status, body } = await load(w.server.url, query, marketer);
      expect([status, body.error]).toEqual([200, undefined]);
    }
  });

  it('marks in /meta the dimensions a filter may not name, so Explore does not offer them', async () => {
    const filterable = async (token: string) => {
      const body = await (await fetch(`${w.server.url}/cubejs-api/v1/meta`, { headers: { Authorization: token } })).json();
      const cube = body.cubes.find((c: { name: string }) => c.name === V);
      return Object.fromEntries(cube.dimensions.map((d: { name: string; meta?: { filterable?: boolean } }) => [d.name.split('.')[1], d.meta?.filterable !== false]));
    };
    const [forMarketer, forManager] = [await filterable(marketer), await filterable(manager)];
    expect(forMarketer).toMatchObject({ customer_id: false, lifetime_revenue: false, member_predicted_clv: false, region: true, r_score: true, is_dormant: true, last_order_at: true });
    expect(Object.values(forManager).every(Boolean)).toBe(true);
  });

  it('leaves roles with personal data every filter', async () => {
    const { status } = await load(w.server.url, sizeOf([xAnd({ member: `${V}.lifetime_revenue`, operator: 'gte', values: ['1'] })]), manager);
    expect(status).toBe(200);
  });
});
