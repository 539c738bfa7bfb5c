import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { conditionalExpectedPurchases, expectedPurchases, fitBgNbd, pAlive, type BgNbdFit } from '../../seeds/clv/bgnbd.js';
import { groupCustomers } from '../../seeds/clv/customerGroups.js';
import { conditionalExpectedSpend, fitGammaGamma, type GammaGammaFit } from '../../seeds/clv/gammaGamma.js';

// The 2,357-customer CDNOW summary (weeks, calibration ending 1997-09-30) and the figures published
// for it: ../shared/datasets/README.md, section 2 (FHL 2005; Fader & Hardie's Gamma-Gamma note;
// lifetimes' tests, which assert them from Hardie's spreadsheets).
const SUMMARY = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/cdnow/cdnow_customers_summary_with_transactions.csv');
const rows = readFileSync(SUMMARY, 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((line) => line.split(',').map(Number));
const column = (i: number, keep: (r: number[]) => boolean = () => true) => Float64Array.from(rows.filter(keep), (r) => r[i]);
const within = (actual: number, published: number, share: number) => expect(Math.abs(actual / published - 1)).toBeLessThanOrEqual(share);

describe('BG/NBD and Gamma-Gamma on the CDNOW sample', () => {
  let bgnbd: BgNbdFit;
  let gammaGamma: GammaGammaFit;

  it('fits BG/NBD within 1 % of r 0.243, alpha 4.414, a 0.793, b 2.426, log-likelihood -9582.4', () => {
    expect(rows).toHaveLength(2357);
    bgnbd = fitBgNbd(groupCustomers(column(1), column(2), column(3)));
    within(bgnbd.r, 0.243, 0.01);
    within(bgnbd.alpha, 4.414, 0.01);
    within(bgnbd.a, 0.793, 0.01);
    within(bgnbd.b, 2.426, 0.01);
    expect(bgnbd.logLikelihood).toBeCloseTo(-9582.4, 0);
  });

  it('fits Gamma-Gamma on the 946 repeat buyers within 1 % of p 6.25, q 3.74, gamma 15.44', () => {
    const repeat = (r: number[]) => r[1] > 0;
    expect(column(1, repeat)).toHaveLength(946);
    gammaGamma = fitGammaGamma({ x: column(1, repeat), zbar: column(4, repeat) });
    within(gammaGamma.p, 6.25, 0.01);
    within(gammaGamma.q, 3.74, 0.01);
    within(gammaGamma.gamma, 15.44, 0.01);
    expect(gammaGamma.logLikelihood).toBeCloseTo(-4055.92, 1);
  });

  it('gives the published conditional expectations', () => {
    // Customer 1 (x = 2, t_x = 30.43, T = 38.86): E[Y(39)] 1.226 ± 0.001, P(alive) ≈ 0.73.
    expect(Math.abs(conditionalExpectedPurchases(bgnbd, 39, 2, 30.43, 38.86) - 1.226)).toBeLessThanOrEqual(0.001);
    expect(pAlive(bgnbd, 2, 30.43, 38.86)).toBeCloseTo(0.73, 2);
    expect(pAlive(bgnbd, 0, 0, 38.86)).toBe(1); // no repeat purchase: no evidence of dropping out
    // E[X(t)] at t = 0.1429, 1, 3, 31.8571, 32, 78, to 3 decimals (the last published 1.8576; ±0.001).
    const published = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
    [0.1429, 1, 3, 31.8571, 32, 78].forEach((t, i) => expect(Math.abs(expectedPurchases(bgnbd, t) - published[i])).toBeLessThanOrEqual(0.001));
    // Gamma-Gamma conditional expected average value of customers 1–10, atol 0.1 ("from Hardie spreadsheet").
    const spend = rows.slice(0, 10).map(([, x, , , zbar]) => conditionalExpectedSpend(gammaGamma, x, zbar));
    [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17].forEach((v, i) => expect(Math.abs(spend[i] - v)).toBeLessThanOrEqual(0.1));
  });
});
