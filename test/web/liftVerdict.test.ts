import { describe, expect, it } from 'vitest';
import { m } from '../../web/src/campaigns/campaignQueries.js';
import { liftVerdict } from '../../web/src/campaigns/liftVerdict.js';

// A result row as the API sends it (decimals as strings).
const row = (control_conversions: string | null, lift_sample_sufficient: string | null, low: string | null, high: string | null) => ({
  [m('control_conversions')]: control_conversions,
  [m('lift_sample_sufficient')]: lift_sample_sufficient,
  [m('lift_relative_ci_low')]: low,
  [m('lift_relative_ci_high')]: high,
});

describe('liftVerdict', () => {
  it('a control group without conversions leaves the lift undefined, whatever the sample', () => {
    expect(liftVerdict(row('0', '0', null, null))).toBe('undefined');
  });
  it("a sample under the model's minimum is too small, even with an interval above 0 (2 against 1)", () => {
    expect(liftVerdict(row('1', '0', '0.05', '9.1'))).toBe('too_small');
  });
  it('a readable sample is a win or a loss only when its interval excludes 0', () => {
    expect(liftVerdict(row('12', '1', '0.02', '0.6'))).toBe('win');
    expect(liftVerdict(row('12', '1', '-0.5', '-0.01'))).toBe('loss');
    expect(liftVerdict(row('12', '1', '-0.1', '0.6'))).toBe('not_significant');
  });
  it('withheld figures (small-group suppression) have no verdict', () => {
    expect(liftVerdict(row(null, null, null, null))).toBeNull();
  });
});
