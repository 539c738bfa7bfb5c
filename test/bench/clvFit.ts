/**
 * CLV fit time at scale: `npx tsx test/bench/clvFit.ts [--customers 1000000]`. Customers are drawn
 * from BG/NBD itself (CDNOW's published parameters, first purchases spread over 3 years, whole
 * days, week unit) and spend from Gamma-Gamma, so the fit must also recover the parameters it
 * was drawn with; printed beside a 10,000-customer baseline from the same run.
 */
import { parseArgs } from 'node:util';
import { predict } from '../../seeds/clv/predict.js';
import type { CustomerHistory } from '../../seeds/clv/history.js';

const TRUE = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, p: 6.25, q: 3.74, gamma: 15.44 };

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gamma(shape, 1) by Marsaglia–Tsang (shape < 1 through the boost u^(1/shape)). */
function gammaSample(u: () => number, shape: number): number {
  if (shape < 1) return gammaSample(u, shape + 1) * Math.pow(u(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    const v = (1 + c * z) ** 3;
    if (v > 0 && Math.log(u()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

export function simulateHistory(customers: number, seed = 7): CustomerHistory {
  const u = random(seed);
  const h: CustomerHistory = {
    customerId: new BigInt64Array(customers),
    x: new Float64Array(customers),
    tx: new Float64Array(customers),
    T: new Float64Array(customers),
    zbar: new Float64Array(customers),
  };
  for (let i = 0; i < customers; i++) {
    const T = Math.floor(u() * 3 * 365) / 7;
    const rate = gammaSample(u, TRUE.r) / TRUE.alpha;
    const ga = gammaSample(u, TRUE.a);
    const dropout = ga / (ga + gammaSample(u, TRUE.b));
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += -Math.log(1 - u()) / rate;
      if (t > T) break;
      x += 1;
      tx = t;
      if (u() < dropout) break;
    }
    // Whole days, as the warehouse summary measures them.
    const nu = gammaSample(u, TRUE.q) / TRUE.gamma;
    let spend = 0;
    for (let k = 0; k < x; k++) spend += gammaSample(u, TRUE.p) / nu;
    h.customerId[i] = BigInt(i + 1);
    h.x[i] = x;
    h.tx[i] = Math.floor(tx * 7) / 7;
    h.T[i] = T;
    h.zbar[i] = x > 0 ? spend / x : 0;
  }
  return h;
}

export function clvFitBenchmark(customers: number): string[] {
  const lines: string[] = [];
  let baseline = 0;
  for (const n of [10_000, customers]) {
    const history = simulateHistory(n);
    const started = performance.now();
    const result = predict(history, 52);
    const seconds = (performance.now() - started) / 1000;
    if (n === 10_000) baseline = seconds / n;
    const { bgnbd: b, gammaGamma: g } = result;
    lines.push(
      `${n.toLocaleString('en-US')} customers: fit + predict ${seconds.toFixed(2)} s (BG/NBD + Gamma-Gamma fit ${result.seconds.fit.toFixed(2)} s, ` +
        `${b.evaluations} + ${g.evaluations} likelihood evaluations); per-customer time vs 10k x${(seconds / n / baseline).toFixed(2)}`,
    );
    lines.push(
      `  fitted r ${b.r.toFixed(3)} alpha ${b.alpha.toFixed(3)} a ${b.a.toFixed(3)} b ${b.b.toFixed(3)} (drawn with ${TRUE.r}, ${TRUE.alpha}, ${TRUE.a}, ${TRUE.b}); ` +
        `p ${g.p.toFixed(2)} q ${g.q.toFixed(2)} gamma ${g.gamma.toFixed(2)} (drawn with ${TRUE.p}, ${TRUE.q}, ${TRUE.gamma})`,
    );
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { customers: { type: 'string' } } });
  for (const line of clvFitBenchmark(Number(values.customers ?? 1_000_000))) console.log(line);
}
