import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../cube/server.js';
import { fitTenant } from '../../seeds/clv/fitTenant.js';
import { fitStatus } from '../../seeds/clv/fitTrust.js';
import { importFile } from '../../seeds/import/importFile.js';
import { loadRows, TEST_SECRET, tokenFor } from '../support/apiClient.js';
import { queryDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { addOneOrderTenant } from '../support/oneOrderTenant.js';

// Issue 20, item 14: predictions that cannot be trusted are not served as if they could, and the
// stored 12-month columns hold 12 months whatever horizon the command reports.
const HERE = path.dirname(fileURLToPath(import.meta.url));
const CDNOW_SAMPLE = path.join(HERE, '../fixtures/cdnow/cdnow_sample.txt');
const tmp = tempDir('crm-clv-trust-');
afterAll(() => tmp.remove());

/** Gauss's hypergeometric 2F1(a, b; c; z) by its power series (|z| < 1), summed until the terms vanish. */
function hypergeometric(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 0; Math.abs(term) > 1e-15 * Math.abs(sum); k++) {
    term *= ((a + k) * (b + k) * z) / ((c + k) * (k + 1));
    sum += term;
  }
  return sum;
}

/** FHL 2005, eq. 10, written out: E[Y(t) | x, t_x, T] for BG/NBD parameters r, α, a, b. */
function expectedPurchases({ r, alpha, a, b }: Record<'r' | 'alpha' | 'a' | 'b', number>, t: number, x: number, tx: number, T: number): number {
  const purchasesIfAlive = ((a + b + x - 1) / (a - 1)) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hypergeometric(r + x, b + x, a + b + x - 1, t / (alpha + T + t)));
  const dropoutOdds = x > 0 ? (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x) : 0;
  return purchasesIfAlive / (1 + dropoutOdds);
}

describe('which fits are served', () => {
  it("serves a fit like CDNOW's, withholds one with few repeat buyers or parameters run off to the edge (Hillstrom)", () => {
    // FHL 2005's published CDNOW fit (weeks, 946 repeat buyers); Hillstrom's fit as npm run clv makes it (578 repeat buyers).
    const fit = (r: number, alpha: number, a: number, b: number) => ({ r, alpha, a, b, logLikelihood: -9582.4, evaluations: 0 });
    expect(fitStatus(946, fit(0.243, 4.414, 0.793, 2.426), 'week')).toBe('served');
    expect(fitStatus(29, fit(0.243, 4.414, 0.793, 2.426), 'week')).toBe('too_few_repeat_buyers');
    expect(fitStatus(578, fit(4.76e5, 1.33e9, 2.7e-6, 3.2e-4), 'week')).toBe('degenerate_fit');
    expect(fitStatus(578, fit(0.5, Number.NaN, 0.8, 2), 'day')).toBe('degenerate_fit');
  });

  it('writes the reason into clv_fits and no prediction for a tenant of one-order histories', async () => {
    const warehouse = path.join(tmp.dir, 'hillstrom.duckdb');
    // Twelve one-order Hillstrom customers, two of whom bought again after the e-mail (support/oneOrderTenant.ts).
    const fit = await addOneOrderTenant(warehouse);
    expect(fit.status).toBe('too_few_repeat_buyers');
    const [row] = await queryDuckDBFile(
      warehouse,
      "SELECT f.status, f.repeat_buyers, (SELECT count(*) FROM customer_predictions p WHERE p.tenant_id = 'hill') AS predictions FROM clv_fits f WHERE f.tenant_id = 'hill'",
    );
    expect(row).toEqual({ status: 'too_few_repeat_buyers', repeat_buyers: String(fit.repeatBuyers), predictions: '0' });
    expect(fit.repeatBuyers).toBe(2);

    // The model says so to the tenant's own users, and serves no predicted CLV for it.
    const server = await startServer({ warehouse, apiSecret: TEST_SECRET, port: 0, webDist: null, refreshIntervalSeconds: 0 });
    try {
      const token = tokenFor({ tenant_id: 'hill', role: 'crm_manager' });
      expect(await loadRows(server.url, { dimensions: ['clv_fit.tenant_id', 'clv_fit.status', 'clv_fit.repeat_buyers'] }, token)).toEqual([
        { 'clv_fit.tenant_id': 'hill', 'clv_fit.status': 'too_few_repeat_buyers', 'clv_fit.repeat_buyers': '2' },
      ]);
      const [clv] = await loadRows(server.url, { measures: ['customer_segments.predicted_clv', 'customer_segments.fitted_members'] }, token);
      expect(Number(clv?.['customer_segments.fitted_members'] ?? 0)).toBe(0);
    } finally {
      await server.close();
    }
  }, 120_000);
});

describe('expected_purchases_12m', () => {
  it('holds 12 months when the command reports 26 weeks: CDNOW sample customer 1 equals eq. 10 over 365 days', async () => {
    const warehouse = path.join(tmp.dir, 'cdnow.duckdb');
    await importFile({ format: 'cdnow', file: CDNOW_SAMPLE, tenant: 'cdnow', warehouse });
    const fit = await fitTenant({ warehouse, tenant: 'cdnow', calibrationEnd: '1997-09-30', unit: 'week', horizon: '26w' });
    expect(fit).toMatchObject({ status: 'served', horizonDays: 182 });
    const [stored] = await queryDuckDBFile(
      warehouse,
      `SELECT p.expected_purchases_12m, f.horizon_days, f.r, f.alpha, f.a, f.b FROM customer_predictions p
      JOIN clv_fits f USING (tenant_id, calibration_end)
      JOIN source_keys k ON k.entity = 'customer' AND k.id = p.customer_id WHERE k.source_key = '4'`,
    );
    expect(stored.horizon_days).toBe(365);
    // Master customer 4 is the sample's customer 1: x = 2, t_x = 30.43, T = 38.86 weeks (FHL 2005); 365 days = 52.14 weeks.
    const params = { r: Number(stored.r), alpha: Number(stored.alpha), a: Number(stored.a), b: Number(stored.b) };
    const twelveMonths = expectedPurchases(params, 365 / 7, 2, 30.43, 38.86);
    const twentySixWeeks = expectedPurchases(params, 26, 2, 30.43, 38.86);
    expect(Number(stored.expected_purchases_12m) / twelveMonths - 1).toBeCloseTo(0, 3);
    // What the column held before: the 26 weeks the command was asked for.
    expect(Math.abs(Number(stored.expected_purchases_12m) - twentySixWeeks)).toBeGreaterThan(0.2);
  }, 120_000);
});
