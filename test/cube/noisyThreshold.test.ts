import { describe, expect, it } from 'vitest';
import { noisyThreshold, THRESHOLD_SPREAD, underThreshold } from '../../cube/policy/noisyThreshold.js';

// The noisy threshold's rule (cube/policy/noisyThreshold.ts): a figure of n customers is shown
// when n >= T, T = 10 + floor(6u), u drawn from the key, n and the group's digest.
const key = Buffer.from('noisy threshold test key');
const digests = Array.from({ length: 6000 }, (_, i) => String(1_000_003 * i + 17));

describe('the noisy threshold', () => {
  it('is one of 10 .. 15, each about as likely (1,000 of 6,000 draws each, within 12 %)', () => {
    const counts = new Map<number, number>();
    for (const d of digests) {
      const t = noisyThreshold(key, 10, 10, d);
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([10, 11, 12, 13, 14, 15]);
    for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(120);
    expect(THRESHOLD_SPREAD).toBe(5);
  });

  it('never shows fewer than 10 customers and always shows 15 or more', () => {
    for (const d of digests.slice(0, 500)) {
      for (const n of [0, 1, 9]) expect(underThreshold(String(n), d, 10, key)).toBe(true);
      for (const n of [15, 16, 100]) expect(underThreshold(String(n), d, 10, key)).toBe(false);
    }
    expect(underThreshold(null, '1', 10, key)).toBe(true);
  });

  it('decides a group of 10 to 14 by its digest: the same digest always the same way, different digests both ways', () => {
    const decisions = digests.slice(0, 60).map((d) => underThreshold('12', d, 10, key));
    expect(digests.slice(0, 60).map((d) => underThreshold('12', d, 10, key))).toEqual(decisions);
    expect(decisions).toContain(true);
    expect(decisions).toContain(false);
  });

  it('keeps the exact minimum for a count without a digest', () => {
    expect(underThreshold('10', null, 10, key)).toBe(false);
    expect(underThreshold('9', undefined, 10, key)).toBe(true);
  });
});
