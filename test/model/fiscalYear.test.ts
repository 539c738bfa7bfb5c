import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { startServer, type RunningServer } from '../../cube/server.js';
import { SCHEMA_SQL } from '../../seeds/generate.js';
import { loadIntoPostgres } from '../../seeds/postgresLoader.js';
import { load, loadRows, TEST_SECRET, tokenFor } from '../support/apiClient.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { startTestPostgres } from '../support/postgres.js';

// Fiscal years, year-over-year and the landing forecast (着地見込み) on a hand-sized fixture.
//
//   tenant a1: fiscal year from April (2026年度 = 2026-04-01 .. 2027-03-31); last order 2026-06-30
//     2025年度 (last year)          2026年度 (to date)
//     2025-04-01  m1  10,000        2026-04-05  m1  15,000
//     2025-05-15  m2  20,000        2026-05-20  m2  25,000
//     2025-06-30  m1  10,000        2026-06-30  m3  10,000
//     2025-07-01  m3  30,000
//     2025-10-10  m2  20,000
//     2026-03-31  m4  10,000
//   tenant b1: fiscal year from March (a February close); orders 2026-02-28 m5 5,000 (2025年度)
//     and 2026-03-01 m5 7,000 (2026年度, its last day of data).
//   targets: a1 has 10,000 yen, 1 order and 1 active customer for each month of 2026年度, and
//     revenue targets for 11 months of 2025年度 only.
const FIXTURE_SQL = `${SCHEMA_SQL}
INSERT INTO tenants (tenant_id, name, fiscal_year_start_month, currency) VALUES ('a1', 'April Retail', 4, 'JPY'), ('b1', 'March Retail', 3, 'JPY');
INSERT INTO stores VALUES (1, 'a1', 'Ginza', 'Tokyo', 'Kanto', 'department'), (2, 'b1', 'Umeda', 'Osaka', 'Kinki', 'drugstore');
INSERT INTO customers (customer_id, tenant_id, signup_date, signup_channel, region, home_store_id, email_opt_in, line_linked)
  SELECT i, CASE WHEN i = 5 THEN 'b1' ELSE 'a1' END, DATE '2025-01-01', 'store', 'Kanto', CASE WHEN i = 5 THEN 2 ELSE 1 END, false, false FROM range(1, 6) t(i);
INSERT INTO orders VALUES
  (1, 'a1', 1, 1, 'store', TIMESTAMP '2025-04-01 10:00:00', 10000, 0, 10000, NULL, 0, 0),
  (2, 'a1', 2, 1, 'store', TIMESTAMP '2025-05-15 10:00:00', 20000, 0, 20000, NULL, 0, 0),
  (3, 'a1', 1, 1, 'store', TIMESTAMP '2025-06-30 10:00:00', 10000, 0, 10000, NULL, 0, 0),
  (4, 'a1', 3, 1, 'store', TIMESTAMP '2025-07-01 10:00:00', 30000, 0, 30000, NULL, 0, 0),
  (5, 'a1', 2, 1, 'store', TIMESTAMP '2025-10-10 10:00:00', 20000, 0, 20000, NULL, 0, 0),
  (6, 'a1', 4, 1, 'store', TIMESTAMP '2026-03-31 10:00:00', 10000, 0, 10000, NULL, 0, 0),
  (7, 'a1', 1, 1, 'store', TIMESTAMP '2026-04-05 10:00:00', 15000, 0, 15000, NULL, 0, 0),
  (8, 'a1', 2, 1, 'store', TIMESTAMP '2026-05-20 10:00:00', 25000, 0, 25000, NULL, 0, 0),
  (9, 'a1', 3, 1, 'store', TIMESTAMP '2026-06-30 10:00:00', 10000, 0, 10000, NULL, 0, 0),
  (10, 'b1', 5, 2, 'store', TIMESTAMP '2026-02-28 10:00:00', 5000, 0, 5000, NULL, 0, 0),
  (11, 'b1', 5, 2, 'store', TIMESTAMP '2026-03-01 10:00:00', 7000, 0, 7000, NULL, 0, 0);
INSERT INTO kpi_targets
  SELECT 'a1', metric, CAST(DATE '2026-04-01' + INTERVAL (m) MONTH AS DATE), CASE WHEN metric = 'revenue' THEN 10000 ELSE 1 END
  FROM range(12) t(m), (VALUES ('revenue'), ('orders'), ('active_customers')) x(metric);
INSERT INTO kpi_targets SELECT 'a1', 'revenue', CAST(DATE '2025-04-01' + INTERVAL (m) MONTH AS DATE), 10000 FROM range(11) t(m);
`;

const L = 'kpi_landing.';
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

for (const kind of ['duckdb', 'postgres'] as const) {
  describe(`fiscal years and the landing forecast on ${kind}`, () => {
    const tmp = tempDir();
    let server: RunningServer;
    let stopPostgres = async () => {};
    const rows = (query: object, token?: string) => loadRows(server.url, query, token);

    beforeAll(async () => {
      const file = path.join(tmp.dir, 'fiscal.duckdb');
      await createDuckDBFile(file, FIXTURE_SQL);
      let warehouse = file;
      if (kind === 'postgres') {
        const postgres = await startTestPostgres();
        await loadIntoPostgres(file, postgres.url);
        warehouse = postgres.url;
        stopPostgres = () => postgres.stop();
      }
      server = await startServer({ warehouse, apiSecret: TEST_SECRET, port: 0, webDist: null, refreshIntervalSeconds: 0 });
    });
    afterAll(async () => {
      await server?.close();
      await stopPostgres();
      tmp.remove();
    });

    it("groups revenue by each tenant's own fiscal year, half and quarter", async () => {
      // a1 2025年度: H1 (Apr-Sep) 10,000 + 20,000 + 10,000 + 30,000 = 70,000; H2 20,000 + 10,000 = 30,000.
      // Quarters: Q1 (Apr-Jun) 40,000, Q2 (Jul-Sep) 30,000, Q3 (Oct-Dec) 20,000, Q4 (Jan-Mar) 10,000.
      // b1's 2026-02-28 order is in its 2025年度 Q4 (March start); 2026-03-01 opens its 2026年度 Q1.
      const byQuarter = await rows({
        measures: ['executive_kpis.revenue'],
        dimensions: ['executive_kpis.tenant_id', 'executive_kpis.fiscal_year', 'executive_kpis.fiscal_half', 'executive_kpis.fiscal_quarter'],
        order: [
          ['executive_kpis.tenant_id', 'asc'],
          ['executive_kpis.fiscal_year', 'asc'],
          ['executive_kpis.fiscal_quarter', 'asc'],
        ],
      });
      expect(
        byQuarter.map((r) => [
          r['executive_kpis.tenant_id'],
          num(r['executive_kpis.fiscal_year']),
          r['executive_kpis.fiscal_half'],
          r['executive_kpis.fiscal_quarter'],
          num(r['executive_kpis.revenue']),
        ]),
      ).toEqual([
        ['a1', 2025, 'H1', 'Q1', 40000],
        ['a1', 2025, 'H1', 'Q2', 30000],
        ['a1', 2025, 'H2', 'Q3', 20000],
        ['a1', 2025, 'H2', 'Q4', 10000],
        ['a1', 2026, 'H1', 'Q1', 50000],
        ['b1', 2025, 'H2', 'Q4', 5000],
        ['b1', 2026, 'H1', 'Q1', 7000],
      ]);
      // Across tenants each adds its own year: 2025年度 = 100,000 + 5,000; 2026年度 = 50,000 + 7,000.
      const byYear = await rows({ measures: ['executive_kpis.revenue'], dimensions: ['executive_kpis.fiscal_year'], order: { 'executive_kpis.fiscal_year': 'asc' } });
      expect(byYear.map((r) => [num(r['executive_kpis.fiscal_year']), num(r['executive_kpis.revenue'])])).toEqual([
        [2025, 105000],
        [2026, 57000],
      ]);
    });

    it('answers the same period last year beside this one (compareDateRange), for a tenant token too', async () => {
      // a1, 2026年度 Q1 to date (2026-04-01..06-30): 50,000; the same days of 2025: 40,000 (+25 %).
      // The rollup this matches is built first: on Postgres this compareDateRange, sent as the first
      // query of that rollup, failed now and then with a server error (an open defect, suspected to
      // be its two sub-queries both building the missing rollup; not reproduced in isolation).
      await rows({ measures: ['executive_kpis.revenue', 'executive_kpis.orders'], timeDimensions: [{ dimension: 'executive_kpis.ordered_at', dateRange: ['2026-04-01', '2026-06-30'] }] });
      const { status, body } = await load(
        server.url,
        {
          measures: ['executive_kpis.revenue', 'executive_kpis.orders'],
          timeDimensions: [
            {
              dimension: 'executive_kpis.ordered_at',
              compareDateRange: [
                ['2026-04-01', '2026-06-30'],
                ['2025-04-01', '2025-06-30'],
              ],
            },
          ],
        },
        tokenFor({ tenant_id: 'a1', role: 'crm_manager' }),
        'multi',
      );
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.queryType).toBe('compareDateRangeQuery');
      expect(body.results.map((r: { data: Record<string, unknown>[] }) => [num(r.data[0]['executive_kpis.revenue']), num(r.data[0]['executive_kpis.orders'])])).toEqual([
        [50000, 3],
        [40000, 3],
      ]);
    });

    it('forecasts where the fiscal year lands: actual to date + last year’s rest x growth to date', async () => {
      const [a1] = await rows({
        measures: [
          `${L}revenue_to_date`,
          `${L}revenue_last_year_to_date`,
          `${L}revenue_growth_to_date`,
          `${L}revenue_landing`,
          `${L}revenue_annual_target`,
          `${L}revenue_landing_gap`,
          `${L}revenue_landing_attainment`,
          `${L}orders_to_date`,
          `${L}orders_landing`,
          `${L}orders_annual_target`,
          `${L}orders_landing_gap`,
          `${L}active_customers_to_date`,
          `${L}active_customers_landing`,
          `${L}active_customers_annual_target`,
          `${L}active_customers_landing_attainment`,
        ],
        dimensions: [`${L}tenant_id`, `${L}as_of`],
        filters: [
          { member: `${L}tenant_id`, operator: 'equals', values: ['a1'] },
          { member: `${L}fiscal_year`, operator: 'equals', values: ['2026'] },
        ],
      });
      expect(String(a1[`${L}as_of`]).slice(0, 10)).toBe('2026-06-30');
      // Revenue to date 50,000 against 40,000 over 2025-04-01..06-30: growth 50,000 / 40,000 - 1 = +25 %.
      expect(num(a1[`${L}revenue_to_date`])).toBe(50000);
      expect(num(a1[`${L}revenue_last_year_to_date`])).toBe(40000);
      expect(num(a1[`${L}revenue_growth_to_date`])).toBeCloseTo(0.25, 9);
      // Last year's rest (2025-07-01..2026-03-31): 30,000 + 20,000 + 10,000 = 60,000 -> landing 50,000 + 60,000 x 1.25 = 125,000,
      // against 12 x 10,000 = 120,000: gap +5,000, 125,000 / 120,000 = 104.17 %.
      expect(num(a1[`${L}revenue_landing`])).toBeCloseTo(125000, 6);
      expect(num(a1[`${L}revenue_annual_target`])).toBe(120000);
      expect(num(a1[`${L}revenue_landing_gap`])).toBeCloseTo(5000, 6);
      expect(num(a1[`${L}revenue_landing_attainment`])).toBeCloseTo(125000 / 120000, 9);
      // Orders: 3 to date against 3 last year (growth 1), last year's rest 3 -> 6, target 12: gap -6.
      expect(num(a1[`${L}orders_to_date`])).toBe(3);
      expect(num(a1[`${L}orders_landing`])).toBeCloseTo(6, 9);
      expect(num(a1[`${L}orders_annual_target`])).toBe(12);
      expect(num(a1[`${L}orders_landing_gap`])).toBeCloseTo(-6, 9);
      // Active customers per month: Apr, May, Jun 2026 closed with 1 each (average 1); last year's same months 1 each
      // (growth 3 / 3); last year's other months with buyers: Jul, Oct, Mar (1 each) -> (3 + 3 x 1) / 12 = 0.5 a month,
      // against a target of 1 a month: 50 %.
      expect(num(a1[`${L}active_customers_to_date`])).toBeCloseTo(1, 9);
      expect(num(a1[`${L}active_customers_landing`])).toBeCloseTo(0.5, 9);
      expect(num(a1[`${L}active_customers_annual_target`])).toBeCloseTo(1, 9);
      expect(num(a1[`${L}active_customers_landing_attainment`])).toBeCloseTo(0.5, 9);
    });

    it('a closed year lands on its actual; a year with 11 monthly targets has no annual target', async () => {
      // a1 2025年度 ended 2026-03-31: its landing is its actual, 100,000; targets exist for 11 of its months only.
      const [a1] = await rows({
        measures: [`${L}revenue_landing`, `${L}revenue_annual_target`, `${L}revenue_landing_gap`],
        filters: [
          { member: `${L}tenant_id`, operator: 'equals', values: ['a1'] },
          { member: `${L}fiscal_year`, operator: 'equals', values: ['2025'] },
        ],
      });
      expect(num(a1[`${L}revenue_landing`])).toBe(100000);
      expect(num(a1[`${L}revenue_annual_target`])).toBeNull();
      expect(num(a1[`${L}revenue_landing_gap`])).toBeNull();
    });

    it('without a whole last year the rest of the year is forecast at the run rate to date', async () => {
      // b1's data starts 2026-02-28, after its 2025年度 began: no whole last year. 2026年度 runs 2026-03-01..2027-02-28
      // (365 days) and is 1 day old with 7,000 yen: 7,000 + 7,000 x 364 / 1 = 2,555,000. No month has closed yet,
      // so no active-customer forecast; no targets.
      const [b1] = await rows(
        {
          measures: [`${L}revenue_landing`, `${L}revenue_growth_to_date`, `${L}active_customers_landing`, `${L}revenue_annual_target`],
          filters: [{ member: `${L}fiscal_year`, operator: 'equals', values: ['2026'] }],
        },
        // A role with personal data: b1's year has one buyer, which an executive's answer withholds.
        tokenFor({ tenant_id: 'b1', role: 'crm_manager' }),
      );
      expect(num(b1[`${L}revenue_landing`])).toBeCloseTo(2555000, 6);
      expect(num(b1[`${L}revenue_growth_to_date`])).toBeNull();
      expect(num(b1[`${L}active_customers_landing`])).toBeNull();
      expect(num(b1[`${L}revenue_annual_target`])).toBeNull();
    });

    it('counts the buyers behind each fiscal year, so a marketer gets no landing figure of 3 customers', async () => {
      // Before: kpi_landing had no customer count, so a marketer of a1 read 2026年度's revenue to
      // date (50,000 yen from m1, m2, m3) that executive_kpis withholds as under 10 customers.
      const query = { measures: [`${L}customers`, `${L}revenue_to_date`], dimensions: [`${L}tenant_id`, `${L}fiscal_year`], order: { [`${L}fiscal_year`]: 'asc' } };
      // 2025年度: 4 buyers, no whole last year; 2026年度: 3 to date, 4 last year -> 3.
      expect((await rows(query)).filter((r) => r[`${L}tenant_id`] === 'a1').map((r) => [num(r[`${L}fiscal_year`]), num(r[`${L}customers`]), num(r[`${L}revenue_to_date`])])).toEqual([
        [2025, 4, 100000],
        [2026, 3, 50000],
      ]);
      const marketer = tokenFor({ tenant_id: 'a1', role: 'marketer' });
      const { status, body } = await load(server.url, { measures: [`${L}revenue_to_date`, `${L}revenue_landing`], dimensions: [`${L}fiscal_year`], order: { [`${L}fiscal_year`]: 'asc' } }, marketer);
      expect(status).toBe(200);
      // A fiscal year is a category (meta.category: the board filters on it), so its rows stay, every figure blank.
      expect(body.data.map((r: Record<string, unknown>) => [num(r[`${L}fiscal_year`]), r[`${L}revenue_to_date`], r[`${L}revenue_landing`]])).toEqual([
        [2025, null, null],
        [2026, null, null],
      ]);
      expect(body.suppressed).toEqual({ minGroupSize: 10, rows: [0, 1], withheld: 0 });
      const total = await load(server.url, { measures: [`${L}revenue_to_date`] }, marketer);
      expect(total.body.data).toEqual([{ [`${L}revenue_to_date`]: null }]);
    });
  });
}
