/**
 * Gamma-Gamma spend model (Fader & Hardie, "The Gamma-Gamma Model of Monetary Value", 2013):
 * a customer's transaction values are Gamma(p, ν) around their mean, ν ~ Gamma(q, γ) across
 * customers. Fitted by maximum likelihood on repeat buyers' mean repeat-transaction value z̄.
 */
import { indexColumn } from './customerGroups.js';
import { minimizePositive } from './nelderMead.js';
import { logGamma } from './specialFunctions.js';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface GammaGammaFit extends GammaGammaParams {
  logLikelihood: number;
  evaluations: number;
}

/** Repeat buyers: x ≥ 1 repeat transactions of mean value z̄ > 0. */
export interface SpendData {
  x: Float64Array;
  zbar: Float64Array;
}

/**
 * ln L = Σ ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln z̄ + px ln x − (px+q) ln(γ + x z̄),
 * as a function of the parameters for fixed data (ln z̄ is taken once; the Gamma functions once
 * per distinct x per evaluation).
 */
export function gammaGammaLikelihood(data: SpendData): (params: GammaGammaParams) => number {
  const logZbar = data.zbar.map(Math.log);
  const xs = indexColumn(data.x);
  const perX = new Float64Array(xs.values.length);
  return ({ p, q, gamma }) => {
    const base = q * Math.log(gamma) - logGamma(q);
    xs.values.forEach((x, k) => (perX[k] = base + logGamma(p * x + q) - logGamma(p * x) + p * x * Math.log(x)));
    let sum = 0;
    for (let i = 0; i < data.x.length; i++) {
      const px = p * data.x[i];
      sum += perX[xs.index[i]] + (px - 1) * logZbar[i] - (px + q) * Math.log(gamma + data.x[i] * data.zbar[i]);
    }
    return sum;
  };
}

export function fitGammaGamma(data: SpendData): GammaGammaFit {
  const logLikelihood = gammaGammaLikelihood(data);
  const { x, value, evaluations } = minimizePositive(([p, q, gamma]) => -logLikelihood({ p, q, gamma }), [1, 1, 1]);
  const [p, q, gamma] = x;
  return { p, q, gamma, logLikelihood: -value, evaluations };
}

/** E[M | x, z̄] = p(γ + x z̄) / (px + q − 1): the population mean pγ/(q−1) for x = 0. */
export function conditionalExpectedSpend({ p, q, gamma }: GammaGammaParams, x: number, zbar: number): number {
  return (p * (gamma + x * zbar)) / (p * x + q - 1);
}
