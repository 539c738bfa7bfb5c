/**
 * Fits BG/NBD and Gamma-Gamma to one tenant's history and predicts, per member: expected
 * purchases over the next 12 months, P(alive), expected spend per purchase and predicted CLV
 * (their product: expected revenue over 12 months, undiscounted, as DESIGN.md defines it). The
 * stored columns are named _12m and hold 12 months whatever horizon the command reports.
 */
import { conditionalExpectedPurchases, fitBgNbd, pAlive, type BgNbdFit } from './bgnbd.js';
import { groupCustomers } from './customerGroups.js';
import { conditionalExpectedSpend, fitGammaGamma, type GammaGammaFit } from './gammaGamma.js';
import type { CustomerHistory } from './history.js';

export interface Predictions {
  bgnbd: BgNbdFit;
  gammaGamma: GammaGammaFit;
  repeatBuyers: number;
  expectedPurchases: Float64Array;
  pAlive: Float64Array;
  expectedSpend: Float64Array;
  clv: Float64Array;
  /** Mean predicted CLV over the reported horizon (the command's `--horizon`). */
  meanClvOverHorizon: number;
  seconds: { fit: number; predict: number };
}

/** twelveMonths and the reported horizon: in the history's time unit. */
export function predict(history: CustomerHistory, twelveMonths: number, horizon = twelveMonths): Predictions {
  const started = performance.now();
  const groups = groupCustomers(history.x, history.tx, history.T);
  const bgnbd = fitBgNbd(groups);
  // Gamma-Gamma sees repeat buyers whose repeat purchases have a value (z̄ > 0: ln z̄ is in its likelihood).
  const repeaters = [...history.x.keys()].filter((i) => history.x[i] > 0 && history.zbar[i] > 0);
  const gammaGamma = fitGammaGamma({ x: Float64Array.from(repeaters, (i) => history.x[i]), zbar: Float64Array.from(repeaters, (i) => history.zbar[i]) });
  const fitted = performance.now();

  // Purchases and P(alive) depend on (x, t_x, T) only: computed once per group.
  const groupCount = groups.weight.length;
  const groupPurchases = new Float64Array(groupCount);
  const groupPurchasesOverHorizon = new Float64Array(groupCount);
  const groupAlive = new Float64Array(groupCount);
  for (let g = 0; g < groupCount; g++) {
    const x = groups.x.values[groups.x.index[g]];
    const tx = groups.tx.values[groups.tx.index[g]];
    const T = groups.T.values[groups.T.index[g]];
    groupPurchases[g] = conditionalExpectedPurchases(bgnbd, twelveMonths, x, tx, T);
    groupPurchasesOverHorizon[g] = horizon === twelveMonths ? groupPurchases[g] : conditionalExpectedPurchases(bgnbd, horizon, x, tx, T);
    groupAlive[g] = pAlive(bgnbd, x, tx, T);
  }
  const n = history.x.length;
  const expectedPurchases = Float64Array.from(groups.groupOf, (g) => groupPurchases[g]);
  const alive = Float64Array.from(groups.groupOf, (g) => groupAlive[g]);
  const expectedSpend = new Float64Array(n);
  const clv = new Float64Array(n);
  let clvOverHorizon = 0;
  for (let i = 0; i < n; i++) {
    expectedSpend[i] = conditionalExpectedSpend(gammaGamma, history.zbar[i] > 0 ? history.x[i] : 0, history.zbar[i]);
    clv[i] = expectedPurchases[i] * expectedSpend[i];
    clvOverHorizon += groupPurchasesOverHorizon[groups.groupOf[i]] * expectedSpend[i];
  }
  return {
    bgnbd,
    gammaGamma,
    repeatBuyers: repeaters.length,
    expectedPurchases,
    pAlive: alive,
    expectedSpend,
    clv,
    meanClvOverHorizon: clvOverHorizon / Math.max(1, n),
    seconds: { fit: (fitted - started) / 1000, predict: (performance.now() - fitted) / 1000 },
  };
}
