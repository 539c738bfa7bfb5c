/**
 * The two rules of small-group suppression, shared by every way figures leave the server (the
 * query API's results in suppression.ts and the cohort extract in extractSuppression.ts), so
 * that both hide exactly what the same rule says.
 */

/** Whether a distinct-customer count is under the minimum; an empty count (NULL, no row) is. */
export function underMinimum(count: unknown, minGroupSize: number): boolean {
  if (count === null || count === undefined) return true;
  const n = Number(count);
  return !(n >= minGroupSize);
}

/**
 * A line of cells that add up to a total: the total is a cell of the same answer (`total`, an
 * index) or one that another allowed query returns (`total: null`, as a grid line's margin).
 */
export interface Line {
  total: number | null;
  members: number[];
}

/**
 * Complementary suppression: while a line whose total is shown hides exactly one of its cells,
 * that cell would be the total minus the visible cells, so the smallest visible cell of the
 * line (by `smaller`, which must depend on the cells' values only, never on the order the
 * warehouse returned them in) is hidden too, until no line does. Returns the hidden cells.
 */
export function complementaryHidden(hidden: ReadonlySet<number>, lines: Line[], smaller: (a: number, b: number) => number): Set<number> {
  const result = new Set(hidden);
  for (let changed = true; changed;) {
    changed = false;
    for (const { total, members } of lines) {
      if (total !== null && result.has(total)) continue;
      const visible = members.filter((i) => !result.has(i));
      if (members.length - visible.length !== 1 || !visible.length) continue;
      result.add(visible.reduce((a, b) => (smaller(b, a) < 0 ? b : a)));
      changed = true;
    }
  }
  return result;
}
