import type { MemberIndex } from './memberIndex.js';
import type { CubeQuery } from './queryMembers.js';

/**
 * Snapshot measures (`meta.snapshot: month`) are taken once per month — members to date,
 * repeat rate, churn at each month end — so a bucket holding several months sums or pools
 * them (members to date summed over 36 months counts each member once per month). The time
 * dimension the snapshots are taken at carries the same `meta.snapshot: month` marker.
 *
 * A query naming such a measure must keep every row within one snapshot: group by that time
 * dimension at month granularity or finer (no day, week or month bucket holds two month
 * starts), group by its raw value, limit it to a date range within one calendar month, or ask
 * for ungrouped rows (nothing is aggregated). Month is the only snapshot grain the model uses;
 * any other value is refused rather than left unchecked.
 */
const GRAIN = 'month';
const WITHIN_A_MONTH = new Set(['second', 'minute', 'hour', 'day', 'week', 'month']);

/** Whether a normalized date range (`['2026-10-01T00:00:00.000', '2026-10-31T23:59:59.999']`) lies within one calendar month. */
function withinOneMonth(dateRange: unknown): boolean {
  return Array.isArray(dateRange) && dateRange.length === 2 && dateRange.every((d) => typeof d === 'string' && /^\d{4}-\d{2}/.test(d)) && dateRange[0].slice(0, 7) === dateRange[1].slice(0, 7);
}

/**
 * Why the query would add a snapshot measure up over several months, naming the measure and
 * how to ask instead; null when every snapshot measure is read one month at a time.
 */
export function summedSnapshot(query: CubeQuery, index: MemberIndex): string | null {
  if (query.ungrouped) return null;
  for (const measure of query.measures ?? []) {
    const cube = index.get(measure.split('.')[0]);
    const grain = cube?.members.get(measure)?.snapshot;
    if (!cube || !grain) continue;
    const axes = [...cube.members.values()].filter((m) => m.kind === 'dimension' && m.type === 'time' && m.snapshot === GRAIN).map((m) => m.name);
    if (grain !== GRAIN || !axes.length) {
      return `${measure} is marked "snapshot: ${grain}" but "${cube.name}" has no time dimension marked "snapshot: ${GRAIN}" to read it by, so it cannot be queried.`;
    }
    const readMonthly =
      (query.dimensions ?? []).some((d) => axes.includes(d)) ||
      (query.timeDimensions ?? []).some((t) => axes.includes(t.dimension) && ((!!t.granularity && WITHIN_A_MONTH.has(t.granularity)) || withinOneMonth(t.dateRange)));
    if (!readMonthly) {
      return (
        `${measure} is a month-end snapshot and cannot be added up over several months (that would count the same customers once per month). ` +
        `Group it by ${axes[0]} with granularity "month" (or finer), or limit ${axes[0]} to a date range within one month.`
      );
    }
  }
  return null;
}
