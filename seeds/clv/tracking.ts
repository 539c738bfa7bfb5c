/**
 * How well a BG/NBD fit tracks what customers did next, as Fader, Hardie & Lee (2005) check it:
 * the cumulative repeat purchases week by week over calibration and holdout (their Figure 3),
 * and the holdout purchases of customers grouped by their calibration purchases x = 0 … 7+
 * (their Figure 4, "conditional expectations"). Plain functions of a fit and the customers.
 */
import { conditionalExpectedPurchases, expectedPurchases, type BgNbdParams } from './bgnbd.js';

/** Customers grouped by calibration repeat purchases; the last group holds this many or more. */
export const TOP_GROUP = 7;

export interface GroupExpectation {
  /** x, 0 … TOP_GROUP (TOP_GROUP meaning that many or more). */
  calibrationPurchases: number;
  customers: number;
  actual: number;
  expected: number;
}

/**
 * Per group of x: the customers' summed holdout purchases and the sum of their
 * E[Y(holdout) | x, t_x, T] (FHL 2005, eq. 10). Columns are per customer, in one order.
 */
export function groupExpectations(params: BgNbdParams, customers: { x: Float64Array; tx: Float64Array; T: Float64Array; holdoutPurchases: Float64Array }, holdoutLength: number): GroupExpectation[] {
  const groups = Array.from({ length: TOP_GROUP + 1 }, (_, x) => ({ calibrationPurchases: x, customers: 0, actual: 0, expected: 0 }));
  // E[Y] depends on (x, t_x, T) only: customers sharing them are computed once.
  const memo = new Map<string, number>();
  customers.x.forEach((x, i) => {
    const key = `${x}|${customers.tx[i]}|${customers.T[i]}`;
    let expected = memo.get(key);
    if (expected === undefined) memo.set(key, (expected = conditionalExpectedPurchases(params, holdoutLength, x, customers.tx[i], customers.T[i])));
    const group = groups[Math.min(x, TOP_GROUP)];
    group.customers += 1;
    group.actual += customers.holdoutPurchases[i];
    group.expected += expected;
  });
  return groups;
}

/**
 * Expected repeat purchases per week: a customer whose first purchase was on day d (counted from
 * the tenant's first day) has made E[X(t)] repeat purchases by t units later (FHL 2005, eq. 9),
 * so the cumulative expectation at the end of day D is Σ E[X((D − d) / daysPerUnit)] over
 * customers with d ≤ D. Week w holds days 7(w−1) … 7w−1, clipped to `lastDay`.
 * `firstDays` holds one entry per customer.
 */
export function weeklyExpectedPurchases(params: BgNbdParams, firstDays: Int32Array, lastDay: number, daysPerUnit: number): number[] {
  const customersOnDay = new Map<number, number>();
  for (const d of firstDays) customersOnDay.set(d, (customersOnDay.get(d) ?? 0) + 1);
  // E[X] of every elapsed day count, once (at most lastDay + 1 of them).
  const byElapsed = new Map<number, number>();
  const cumulativeAt = (day: number) => {
    let sum = 0;
    for (const [first, n] of customersOnDay) {
      if (first > day) continue;
      let e = byElapsed.get(day - first);
      if (e === undefined) byElapsed.set(day - first, (e = expectedPurchases(params, (day - first) / daysPerUnit)));
      sum += n * e;
    }
    return sum;
  };
  const weeks = Math.ceil((lastDay + 1) / 7);
  const result: number[] = [];
  let before = 0;
  for (let w = 1; w <= weeks; w++) {
    const cumulative = cumulativeAt(Math.min(7 * w - 1, lastDay));
    result.push(cumulative - before);
    before = cumulative;
  }
  return result;
}
