/**
 * Nelder–Mead minimisation (Lagarias et al. 1998 coefficients). Gradient-free, which suits
 * likelihoods over summarised customer groups: the CLV fits run it on log-parameters, so every
 * point it tries is a valid (positive) parameter vector.
 */
export interface Minimum {
  x: number[];
  value: number;
  evaluations: number;
}

export interface NelderMeadOptions {
  /** Stop when the simplex's values differ by less than this share of the best value… */
  valueTolerance?: number;
  /** …and its points by less than this along every axis (on log-parameters: a relative precision). */
  pointTolerance?: number;
  maxEvaluations?: number;
  /** Initial step along each axis. */
  step?: number;
}

export function nelderMead(f: (x: number[]) => number, start: number[], options: NelderMeadOptions = {}): Minimum {
  const { valueTolerance = 1e-10, pointTolerance = 1e-4, maxEvaluations = 20_000, step = 0.5 } = options;
  const n = start.length;
  let evaluations = 0;
  const value = (x: number[]) => {
    evaluations += 1;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity; // outside the likelihood's domain: never the best point
  };
  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + step : v)))].map((x) => ({ x, v: value(x) }));
  const towards = (from: number[], to: number[], t: number) => from.map((v, i) => v + t * (to[i] - v));

  while (evaluations < maxEvaluations) {
    simplex.sort((p, q) => p.v - q.v);
    const best = simplex[0];
    const worst = simplex[n];
    const spread = Math.max(...simplex.map((p) => Math.max(...p.x.map((v, i) => Math.abs(v - best.x[i])))));
    if (worst.v - best.v <= valueTolerance * Math.abs(best.v) && spread <= pointTolerance) break;
    const centroid = start.map((_, i) => simplex.slice(0, n).reduce((s, p) => s + p.x[i], 0) / n);
    const reflected = towards(centroid, worst.x, -1);
    const vr = value(reflected);
    if (vr < best.v) {
      const expanded = towards(centroid, worst.x, -2);
      const ve = value(expanded);
      simplex[n] = ve < vr ? { x: expanded, v: ve } : { x: reflected, v: vr };
    } else if (vr < simplex[n - 1].v) {
      simplex[n] = { x: reflected, v: vr };
    } else {
      const outside = vr < worst.v;
      const contracted = towards(centroid, outside ? reflected : worst.x, 0.5);
      const vc = value(contracted);
      if (vc < (outside ? vr : worst.v)) simplex[n] = { x: contracted, v: vc };
      else {
        simplex = simplex.map((p, i) => {
          if (i === 0) return p;
          const x = towards(best.x, p.x, 0.5); // shrink towards the best point
          return { x, v: value(x) };
        });
      }
    }
  }
  simplex.sort((p, q) => p.v - q.v);
  return { x: simplex[0].x, value: simplex[0].v, evaluations };
}

/**
 * Minimises f over positive parameters by Nelder–Mead on their logarithms, restarting from the
 * best point until a restart no longer improves it (a simplex can collapse before the minimum).
 */
export function minimizePositive(f: (params: number[]) => number, start: number[], options: NelderMeadOptions = {}): Minimum {
  const onLogs = (logs: number[]) => f(logs.map(Math.exp));
  let result = nelderMead(onLogs, start.map(Math.log), options);
  let evaluations = result.evaluations;
  for (let restart = 0; restart < 5; restart++) {
    const again = nelderMead(onLogs, result.x, { ...options, step: 0.1 });
    evaluations += again.evaluations;
    const improved = result.value - again.value > 1e-9 * Math.abs(result.value);
    result = again.value < result.value ? again : result;
    if (!improved) break;
  }
  return { x: result.x.map(Math.exp), value: result.value, evaluations };
}
