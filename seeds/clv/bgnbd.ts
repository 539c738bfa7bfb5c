/**
 * BG/NBD (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way"): while alive, a
 * customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each purchase they drop out
 * with probability p ~ Beta(a, b). Fitted by maximum likelihood on (x, t_x, T).
 */
import type { CustomerGroups } from './customerGroups.js';
import { minimizePositive } from './nelderMead.js';
import { hyp2f1, logGamma, logSumExp } from './specialFunctions.js';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface BgNbdFit extends BgNbdParams {
  logLikelihood: number;
  evaluations: number;
}

/**
 * The log-likelihood summed over customers (FHL 2005, eq. 6, in logs):
 * ln L = A1 + A2 + ln(e^A3 + δ(x>0) e^A4), with
 * A1 = ln Γ(r+x) − ln Γ(r) + r ln α, A2 = ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x),
 * A3 = −(r+x) ln(α+T), A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x).
 * Terms depending on one column only are computed once per distinct value of that column.
 */
export function bgNbdLogLikelihood({ r, alpha, a, b }: BgNbdParams, groups: CustomerGroups): number {
  const xs = groups.x.values;
  const perX = new Float64Array(xs.length);
  const logA4Const = new Float64Array(xs.length);
  const common = -logGamma(r) + r * Math.log(alpha) + logGamma(a + b) - logGamma(b);
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k];
    perX[k] = common + logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x);
    logA4Const[k] = x > 0 ? Math.log(a) - Math.log(b + x - 1) : -Infinity;
  }
  const logAlphaT = groups.T.values.map((T) => Math.log(alpha + T));
  const logAlphaTx = groups.tx.values.map((tx) => Math.log(alpha + tx));
  let sum = 0;
  const { weight } = groups;
  const xi = groups.x.index;
  const ti = groups.T.index;
  const txi = groups.tx.index;
  for (let g = 0; g < weight.length; g++) {
    const k = xi[g];
    const rx = r + xs[k];
    const a3 = -rx * logAlphaT[ti[g]];
    if (xs[k] === 0) {
      sum += weight[g] * (perX[k] + a3);
      continue;
    }
    // ln(e^A3 + e^A4), inlined: this line runs once per group per likelihood evaluation.
    const a4 = logA4Const[k] - rx * logAlphaTx[txi[g]];
    const hi = a3 > a4 ? a3 : a4;
    sum += weight[g] * (perX[k] + hi + Math.log1p(Math.exp((a3 > a4 ? a4 : a3) - hi)));
  }
  return sum;
}

export function fitBgNbd(groups: CustomerGroups): BgNbdFit {
  const start = [1, Math.max(1, meanOf(groups.T.values)), 1, 1];
  const { x, value, evaluations } = minimizePositive(([r, alpha, a, b]) => -bgNbdLogLikelihood({ r, alpha, a, b }, groups), start);
  const [r, alpha, a, b] = x;
  return { r, alpha, a, b, logLikelihood: -value, evaluations };
}

const meanOf = (values: Float64Array) => values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);

/** ln of the odds that a customer with this history has dropped out (0 → certainly alive). */
function logDropoutOdds({ r, alpha, a, b }: BgNbdParams, x: number, tx: number, T: number): number {
  return x > 0 ? Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx)) : -Infinity;
}

/** P(alive | x, t_x, T) = 1 / (1 + δ(x>0) a/(b+x−1) ((α+T)/(α+t_x))^(r+x)). */
export function pAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  return Math.exp(-logSumExp(0, logDropoutOdds(params, x, tx, T)));
}

/** E[Y(t) | x, t_x, T]: expected purchases in the next t (FHL 2005, eq. 10). */
export function conditionalExpectedPurchases(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = params;
  const logRatio = (r + x) * (Math.log(alpha + T) - Math.log(alpha + T + t));
  const hyp = hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t));
  const numerator = ((a + b + x - 1) / (a - 1)) * (1 - Math.exp(logRatio) * hyp);
  return numerator * Math.exp(-logSumExp(0, logDropoutOdds(params, x, tx, T)));
}

/** E[X(t)]: expected purchases of a new customer in a period of length t (FHL 2005, eq. 9). */
export function expectedPurchases({ r, alpha, a, b }: BgNbdParams, t: number): number {
  return ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1, t / (alpha + t)));
}
