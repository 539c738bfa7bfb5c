import { createHmac } from 'node:crypto';
import { underMinimum } from './smallGroups.js';

/**
 * The noisy threshold of small-group suppression, as Diffix's low-count filter: a figure is
 * blank when its distinct-customer count n is under a threshold drawn for the group of
 * customers behind it, not under the fixed minimum. Decided on the exact count, blank-or-shown
 * was an exact yes/no: with `or` filters over category combinations that each hold one member,
 * an attacker assembled a group of exactly 9 active members and learned from one more query
 * whether a tenth was active (30 of 30 right in the attack review).
 *
 * The rule: a figure of n contributing customers is shown when n >= T, with
 * T = minimum + floor(6u), u uniform in [0, 1) from HMAC(key, n and the group's digest). So T
 * is one of minimum .. minimum + 5, each as likely: n under the minimum is never shown, n of at
 * least minimum + 5 always is, and between them a group is shown or not by its own draw. A
 * uniform T gives every step the same small chance (1/6) of deciding a probe: whichever group
 * size k the attacker builds around the member they ask about, the group of k + 1 is shown and
 * that of k blank for 1 draw in 6, so one probe reads the member right in at most 7 of 12 cases
 * (58 %, against a coin's 50 %) where the exact threshold read it in every one.
 *
 * The draw is seeded by the group's set of customers (its `digest`, a sum the warehouse
 * computes of a hash of each contributing row's member number, beside the count: `meta.digest`
 * in the model), never by the query's wording: asking for the same customers again, in other
 * words, returns the same decision, so repeating a probe draws nothing new. A count without a
 * digest in the model (a precomputed monthly count has no member numbers left) keeps the exact
 * minimum.
 */

// How many values above the minimum the threshold can take: groups of minimum + SPREAD or more are always shown.
export const THRESHOLD_SPREAD = 5;

/** The threshold drawn for a group of `count` customers whose digest is `digest`. */
export function noisyThreshold(key: Buffer, minGroupSize: number, count: number, digest: string): number {
  const draw = createHmac('sha256', key).update(`threshold\u0000${count}\u0000${digest}`).digest().readUInt32BE(0) / 2 ** 32;
  return minGroupSize + Math.floor(draw * (THRESHOLD_SPREAD + 1));
}

/**
 * Whether a figure whose contributing customers number `count` (NULL: none) is hidden: under the
 * minimum always; from there under the threshold its group's `digest` draws, when it has one.
 */
export function underThreshold(count: unknown, digest: unknown, minGroupSize: number, key: Buffer): boolean {
  if (underMinimum(count, minGroupSize)) return true;
  if (digest === null || digest === undefined || digest === '') return false;
  const n = Number(count);
  return n < noisyThreshold(key, minGroupSize, n, String(digest));
}
