import { underThreshold } from './noisyThreshold.js';
import { complementaryHidden, underMinimum, type Line } from './smallGroups.js';

/** A cohort within one slice of the cohort extract: its members at month offset 0. */
export interface CohortGroup {
  key: string;
  cohort: string;
  /** SQL GROUPING() bits over the slice attributes: a set bit means "all values" of that attribute. */
  mask: number;
  values: (string | null)[];
  size: number;
  /** The digest of its members (noisyThreshold.ts), when the extract read one. */
  digest?: string | null;
}

/** One month offset of a group sent in the extract: its active members carry its revenue. */
export interface CohortCell {
  group: string;
  offset: number;
  active: number;
  /** The digest of its active members, when the extract read one. */
  digest?: string | null;
}

/** Whether a count is hidden: under the noisy threshold its digest draws with `thresholdKey`, else under the minimum. */
const hides = (count: number, digest: string | null | undefined, minGroupSize: number, thresholdKey?: Buffer) =>
  thresholdKey ? underThreshold(count, digest, minGroupSize, thresholdKey) : underMinimum(count, minGroupSize);

export const cohortGroupKey = (mask: number, cohort: string, values: (string | null)[]) => JSON.stringify([mask, cohort, ...values]);

/** The group one attribute wider (that attribute at "all values"), which sums this group and its siblings. */
function parentKey(group: CohortGroup, attribute: number, attributeCount: number): string | null {
  const bit = 1 << (attributeCount - 1 - attribute);
  if (group.mask & bit) return null;
  return cohortGroupKey(
    group.mask | bit,
    group.cohort,
    group.values.map((v, j) => (j === attribute ? null : v)),
  );
}

/** Each line of groups (a parent and its children along one attribute), as lists of keys. */
function groupLines(groups: CohortGroup[], attributeCount: number): Map<string, { parent: string; children: string[] }> {
  const lines = new Map<string, { parent: string; children: string[] }>();
  for (const group of groups) {
    for (let i = 0; i < attributeCount; i++) {
      const parent = parentKey(group, i, attributeCount);
      if (parent === null) continue;
      const line = `${parent}#${i}`;
      if (!lines.has(line)) lines.set(line, { parent, children: [] });
      lines.get(line)!.children.push(group.key);
    }
  }
  return lines;
}

const byKey = <T extends { key: string }>(items: T[]) => [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/**
 * The groups to leave out of the extract for a role under suppression, by the rules every
 * answer follows (smallGroups.ts): every group whose members are under the minimum (with
 * `thresholdKey`, under the noisy threshold its digest draws, as /load decides), and
 * complementary groups. The extract holds every slice, so a group's parent is in it too; while
 * a parent is sent and exactly one of its children along an attribute is left out, the smallest
 * sibling is left out as well. Groups in key order, ties broken by key: the same extract always
 * leaves out the same groups, whatever order the warehouse returned them in.
 */
export function protectedGroups(unordered: CohortGroup[], attributeCount: number, minGroupSize: number, thresholdKey?: Buffer): Set<string> {
  const groups = byKey(unordered);
  const index = new Map(groups.map((g, i) => [g.key, i]));
  const lines: Line[] = [...groupLines(groups, attributeCount).values()]
    .filter(({ parent }) => index.has(parent))
    .map(({ parent, children }) => ({ total: index.get(parent)!, members: children.map((c) => index.get(c)!) }));
  const small = new Set(groups.flatMap((g, i) => (hides(g.size, g.digest, minGroupSize, thresholdKey) ? [i] : [])));
  const smaller = (a: number, b: number) => groups[a].size - groups[b].size || (groups[a].key < groups[b].key ? -1 : 1);
  return new Set([...complementaryHidden(small, lines, smaller)].map((i) => groups[i].key));
}

/**
 * The cells (a sent group's month offset) whose revenue the extract must not carry: those whose
 * active members are under the minimum (the cohort's revenue that month comes from them), and
 * complementary cells, per line of
 * the same month offset: a parent cell and its children along one attribute (the parent cell is
 * in the extract), and a group's months (their sum, the cohort's revenue, is another allowed
 * query). Groups left out by protectedGroups are absent, so their cells count in no line: a line
 * missing one hides more rather than less.
 */
export function protectedCells(cells: CohortCell[], groups: CohortGroup[], attributeCount: number, minGroupSize: number, thresholdKey?: Buffer): Set<number> {
  const cellAt = new Map(cells.map((c, i) => [`${c.group}@${c.offset}`, i]));
  const groupOf = new Map(groups.map((g) => [g.key, g]));
  const lines = new Map<string, Line>();
  const addTo = (line: string, total: number | null, member: number) => {
    if (!lines.has(line)) lines.set(line, { total, members: [] });
    lines.get(line)!.members.push(member);
  };
  const inOrder = cells.map((_, i) => i).sort((a, b) => (cells[a].group < cells[b].group ? -1 : cells[a].group > cells[b].group ? 1 : cells[a].offset - cells[b].offset));
  for (const i of inOrder) {
    const cell = cells[i];
    addTo(`months ${cell.group}`, null, i);
    const group = groupOf.get(cell.group);
    if (!group) continue;
    for (let a = 0; a < attributeCount; a++) {
      const parent = parentKey(group, a, attributeCount);
      const total = parent === null ? undefined : cellAt.get(`${parent}@${cell.offset}`);
      if (total !== undefined) addTo(`${parent}#${a}@${cell.offset}`, total, i);
    }
  }
  const small = new Set(cells.flatMap((c, i) => (hides(c.active, c.digest, minGroupSize, thresholdKey) ? [i] : [])));
  // Ties go to the later month: a month-0 cell (the cohort's size) is hidden only when nothing else can be.
  const smaller = (a: number, b: number) => cells[a].active - cells[b].active || cells[b].offset - cells[a].offset || (cells[a].group < cells[b].group ? -1 : 1);
  return complementaryHidden(small, [...lines.values()], smaller);
}
