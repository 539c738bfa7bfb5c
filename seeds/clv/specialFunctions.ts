/** The special functions the CLV likelihoods and expectations need, in plain TypeScript. */

// Lanczos approximation, g = 7, n = 9 (Numerical Recipes' coefficients): ~15 significant digits.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(z) for z > 0, computed in logs so large arguments (r + x with x in the hundreds) never overflow. */
export function logGamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  const w = z - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < 9; i++) sum += LANCZOS[i] / (w + i);
  const t = w + 7.5;
  return HALF_LOG_TWO_PI + (w + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ln(e^a + e^b) without overflow or underflow. */
export function logSumExp(a: number, b: number): number {
  const hi = Math.max(a, b);
  return hi === -Infinity ? -Infinity : hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
}

/**
 * Gauss's hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z < 1 by its power series, summed until
 * a term no longer changes the sum. BG/NBD's expectations use it with z = t / (α + T + t) < 1.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < 1_000_000; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
    if (Math.abs(term) <= 1e-15 * Math.abs(sum)) return sum;
  }
  throw new RangeError(`2F1(${a}, ${b}; ${c}; ${z}) did not converge`);
}
