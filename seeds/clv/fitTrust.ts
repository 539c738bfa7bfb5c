/**
 * Whether a fit's predictions may be served (issue 20, item 14). As Klaviyo predicts only for
 * stores with enough history and repeat buyers, a tenant's predictions are withheld, and the
 * fit's row in clv_fits says why, when:
 * - `too_few_repeat_buyers`: BG/NBD learns purchase rates and dropout from members who bought
 *   again; with fewer than MIN_REPEAT_BUYERS of them every member's prediction is the prior's.
 * - `degenerate_fit`: the optimiser ran off to the edge of the parameter space (r above
 *   MAX_SHAPE, α above MAX_SCALE in days, or a figure that is not finite): the history does not
 *   identify the model, as with Hillstrom's one-order histories (r 4.8e5, α 1.3e9), and the
 *   predictions are arithmetic on arbitrary numbers. Published fits have r of 0.2 to 10 and α of
 *   a few to a few hundred days (FHL 2005: r 0.24, α 4.4 weeks).
 */
import type { BgNbdFit } from './bgnbd.js';
import { DAYS_PER_UNIT, type TimeUnit } from './history.js';

export type FitStatus = 'served' | 'too_few_repeat_buyers' | 'degenerate_fit';

export const MIN_REPEAT_BUYERS = 30;
const MAX_SHAPE = 1e3;
const MAX_SCALE_DAYS = 1e5;

export function fitStatus(repeatBuyers: number, bgnbd: BgNbdFit, unit: TimeUnit): FitStatus {
  if (repeatBuyers < MIN_REPEAT_BUYERS) return 'too_few_repeat_buyers';
  const { r, alpha, a, b, logLikelihood } = bgnbd;
  if (![r, alpha, a, b, logLikelihood].every(Number.isFinite) || r > MAX_SHAPE || alpha * DAYS_PER_UNIT[unit] > MAX_SCALE_DAYS) return 'degenerate_fit';
  return 'served';
}
