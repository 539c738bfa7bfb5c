/** A cohort within one slice of the cohort extract: its members at month offset 0. */
export interface CohortGroup {
  key: string;
  cohort: string;
  /** SQL GROUPING() bits over the slice attributes: a set bit means "all values" of that attribute. */
  mask: number;
  values: (string | null)[];
  size: number;
}

export const cohortGroupKey = (mask: number, cohort: string, values: (string | null)[]) => JSON.stringify([mask, cohort, ...values]);

/**
 * The groups to leave out of the extract for a role under suppression: every group under the
 * minimum, and complementary groups. The extract holds every slice, so a group's parent (the
 * same cohort with one attribute widened to "all") is in it too; while a parent is sent and
 * exactly one of its children along an attribute is left out, that child would be the parent
 * minus its siblings, so the smallest sibling is left out as well, until no such line remains.
 */
export function protectedGroups(unordered: CohortGroup[], attributeCount: number, minGroupSize: number): Set<string> {
  // In key order, and ties broken by key: the same extract always leaves out the same groups,
  // whatever order the warehouse returned them in (a choice that varied would leak).
  const groups = [...unordered].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const byKey = new Map(groups.map((g) => [g.key, g]));
  const smaller = (a: string, b: string) => byKey.get(a)!.size - byKey.get(b)!.size || (a < b ? -1 : 1);
  const removed = new Set(groups.filter((g) => g.size < minGroupSize).map((g) => g.key));
  // A line: a parent group and its children along one attribute.
  const lines = new Map<string, { parent: string; children: string[] }>();
  for (const group of groups) {
    for (let i = 0; i < attributeCount; i++) {
      const bit = 1 << (attributeCount - 1 - i);
      if (group.mask & bit) continue;
      const parentValues = group.values.map((v, j) => (j === i ? null : v));
      const parent = cohortGroupKey(group.mask | bit, group.cohort, parentValues);
      const line = `${parent}#${i}`;
      if (!lines.has(line)) lines.set(line, { parent, children: [] });
      lines.get(line)!.children.push(group.key);
    }
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const { parent, children } of lines.values()) {
      if (removed.has(parent) || !byKey.has(parent)) continue;
      const sent = children.filter((c) => !removed.has(c));
      if (children.length - sent.length !== 1 || !sent.length) continue;
      removed.add(sent.reduce((a, b) => (smaller(b, a) < 0 ? b : a)));
      changed = true;
    }
  }
  return removed;
}
