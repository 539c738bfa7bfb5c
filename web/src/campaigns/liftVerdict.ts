import { toNumber } from '../ui/format';
import { m, type Row } from './campaignQueries';

/**
 * How a lift result may be read, from the model's figures:
 * - `undefined`: the control group has no conversions, so the relative lift does not exist;
 * - `too_small`: under the model's minimum sample (`lift_sample_sufficient` = 0);
 * - `win` / `loss`: the 95 % interval of the lift lies wholly above / below 0;
 * - `not_significant`: the interval includes 0.
 * Only a `win` may be shown as one. null: the figures are withheld (small-group suppression).
 */
export type LiftVerdict = 'undefined' | 'too_small' | 'win' | 'loss' | 'not_significant';

export function liftVerdict(row: Row): LiftVerdict | null {
  const controlConversions = toNumber(row[m('control_conversions')]);
  const sufficient = toNumber(row[m('lift_sample_sufficient')]);
  if (controlConversions === null || sufficient === null) return null;
  if (controlConversions === 0) return 'undefined';
  if (sufficient !== 1) return 'too_small';
  const low = toNumber(row[m('lift_relative_ci_low')]);
  const high = toNumber(row[m('lift_relative_ci_high')]);
  if (low !== null && low > 0) return 'win';
  if (high !== null && high < 0) return 'loss';
  return 'not_significant';
}
