import { contributorsOf, digestOf, type MemberIndex } from './memberIndex.js';
import { underThreshold } from './noisyThreshold.js';
import { cubesOf, orderDirections, orderMembers, type CubeQuery } from './queryMembers.js';
import { complementaryHidden, underMinimum, type Line } from './smallGroups.js';

type Row = Record<string, unknown>;

/** One query's result as Cube's gateway builds it (default response format). */
export interface QueryResult {
  query: CubeQuery & { timeDimensions?: { dimension: string; granularity?: string | null }[] };
  data: Row[];
  total?: number | null;
  annotation?: { measures?: Record<string, unknown> };
  suppressed?: Suppressed;
}

export interface Suppressed {
  minGroupSize: number;
  /** Indexes of rows with at least one blanked figure, or 'all' for a withheld customer list. */
  rows: number[] | 'all';
  /** Rows left out entirely: under the minimum, with dimensions that single people out. */
  withheld: number;
}

// Time buckets at least this coarse are categories (the board asks for the last day with data);
// finer ones come close to a timestamp, which can name a person.
const COARSE_GRANULARITIES = new Set(['day', 'week', 'month', 'quarter', 'year']);
/**
 * The time buckets a customer list shows: a month at the finest. A member's first or last order
 * day in a list (or a list per day) names who ordered on that day (categoryFilters.ts holds a
 * list's filters to whole months by the same rule).
 */
export const LIST_GRANULARITIES = new Set(['month', 'quarter', 'year']);

/** The result's grouping columns, as keys of its rows: `view.dim`, `view.time.month`. */
function groupingKeys(query: QueryResult['query']): string[] {
  return [...(query.dimensions ?? []), ...(query.timeDimensions ?? []).filter((t) => t.granularity).map((t) => `${t.dimension}.${t.granularity}`)];
}

/** A dimension whose value can single out a person: a number (an amount, an id) or a raw timestamp not marked `meta.category`. */
export function isIdentifyingDimension(member: string, index: MemberIndex): boolean {
  const info = index.get(member.split('.')[0])?.members.get(member);
  return !info || !(info.type === 'string' || info.type === 'boolean' || info.category);
}

/** Whether a row's dimension values could single out a person on their own: an identifying dimension, or a time bucket finer than a day. */
function hasIdentifyingDimensions(query: QueryResult['query'], index: MemberIndex): boolean {
  return (query.dimensions ?? []).some((m) => isIdentifyingDimension(m, index)) || (query.timeDimensions ?? []).some((t) => t.granularity && !COARSE_GRANULARITIES.has(t.granularity));
}

/**
 * Complementary suppression in a grid: in every line (the rows that share all grouping values
 * but one), a single hidden cell could be recovered as the line's total (another allowed
 * query) minus the visible cells, so the smallest visible cell of that line is hidden too
 * (smallGroups.ts). Ties are broken by the cells' grouping values: the same query always hides
 * the same cells (a choice that varied between runs would let repeated requests reveal each one).
 */
export function complementaryCells(rows: Row[], hidden: Set<number>, keys: string[], size: (row: Row) => number): Set<number> {
  const cellKey = rows.map((row) => JSON.stringify(keys.map((k) => row[k])));
  const inCellOrder = rows.map((_, i) => i).sort((a, b) => (cellKey[a] < cellKey[b] ? -1 : cellKey[a] > cellKey[b] ? 1 : 0));
  const smaller = (a: number, b: number) => size(rows[a]) - size(rows[b]) || (cellKey[a] < cellKey[b] ? -1 : 1);
  // Every line once, in cell order: the row indexes sharing all grouping values but one.
  const lines: Line[] = keys.flatMap((key) => {
    const byOthers = new Map<string, number[]>();
    for (const i of inCellOrder) {
      const line = JSON.stringify(keys.filter((k) => k !== key).map((k) => rows[i][k]));
      const members = byOthers.get(line);
      if (members) members.push(i);
      else byOthers.set(line, [i]);
    }
    return [...byOthers.values()].map((members) => ({ total: null, members }));
  });
  return complementaryHidden(hidden, lines, smaller);
}

// Time buckets that hold one value of a month dimension.
const WITHIN_A_MONTH = new Set(['day', 'week', 'month']);

/**
 * Whether a count counts distinct customers in every row of this query: always, unless it does so
 * only within one value of some dimension (`distinctWithin`), which the query must then group by
 * or filter to a single value (a top-level `equals`); otherwise one customer counts once per value.
 */
export function countsDistinctCustomers(count: string, query: QueryResult['query'], index: MemberIndex): boolean {
  const within = index.get(count.split('.')[0])?.members.get(count)?.distinctWithin;
  if (!within) return true;
  const grouped = [...(query.dimensions ?? []), ...(query.timeDimensions ?? []).filter((t) => t.granularity && WITHIN_A_MONTH.has(t.granularity)).map((t) => t.dimension)];
  const single = (query.filters ?? []).filter((f) => f.operator === 'equals' && f.values?.length === 1).map((f) => f.member ?? f.dimension);
  return within.some((d) => grouped.includes(d) || single.includes(d));
}

/**
 * A running total along `over` (cumulative LTV by month offset) adds each step's figure to the
 * previous total, so a hidden step would be the next total minus the one before it: every later
 * figure of the same line (the rows sharing the other grouping values) is hidden with it.
 */
function laterInRun(rows: Row[], hidden: Set<number>, keys: string[], over: string): Set<number> {
  const lineOf = (row: Row) => JSON.stringify(keys.filter((k) => k !== over).map((k) => row[k]));
  const firstHidden = new Map<string, number>();
  for (const i of hidden) {
    const line = lineOf(rows[i]);
    firstHidden.set(line, Math.min(firstHidden.get(line) ?? Infinity, Number(rows[i][over])));
  }
  return new Set([...hidden, ...rows.flatMap((row, i) => (Number(row[over]) > (firstHidden.get(lineOf(row)) ?? Infinity) ? [i] : []))]);
}

/**
 * Rows ordered by a figure, ranked by the figure as released (`released`: the answer's rows with
 * their sticky noise, row for row) rather than by its exact value, which the warehouse's order
 * gave away between two close figures. The warehouse sorted the rows by the order's members
 * before its first measure; within each run of rows sharing those, rows are sorted again by the
 * released figures of the order's measures (ties keep the warehouse's order).
 */
function rankByReleased<T extends { index: number; row: Row }>(rows: T[], query: QueryResult['query'], isMeasure: (m: string) => boolean, released: Row[]): T[] {
  const order = orderDirections(query.order);
  const first = order.findIndex((o) => isMeasure(o.member));
  const before = order.slice(0, first).map((o) => o.member);
  const after = order.slice(first).filter((o) => isMeasure(o.member));
  const figure = (r: T, m: string) => {
    const v = released[r.index]?.[m];
    return v === null || v === undefined ? Number.NaN : Number(v);
  };
  const compare = (a: T, b: T) => {
    for (const { member, desc } of after) {
      const d = figure(a, member) - figure(b, member);
      if (d) return desc ? -d : d;
    }
    return a.index - b.index;
  };
  const runs: T[][] = [];
  for (const r of rows) {
    const last = runs[runs.length - 1];
    if (last && before.every((m) => last[0].row[m] === r.row[m])) last.push(r);
    else runs.push([r]);
  }
  return runs.flatMap((run) => run.sort(compare));
}

/** The rows of a page the policy fetched whole (see withSuppressionMeasures): the client's limit and offset. */
export interface Page {
  limit: number;
  offset: number;
}

/**
 * Small-group suppression of one result, for roles without personal data.
 *
 * Each figure (a measure in a row) is shown only when every distinct-customer count it is
 * computed from (`contributorsOf`: declared in the model next to the measure, else the view's
 * customer count) reaches the minimum; a NULL count is zero. With `thresholdKey`, a count with a
 * digest must reach the noisy threshold its group of customers draws (noisyThreshold.ts). Per measure, complementary cells
 * are blanked so no hidden figure follows from its line's total. A row is left out entirely
 * when the customers it describes (the view's customer count) are under the minimum and its
 * dimension values alone could single a person out. When the query orders by a measure, rows
 * whose ordering figure is blanked go last, in the order of their dimension values (their rank
 * would bound their value), the others are ranked by their figures as released when `released`
 * gives them (rankByReleased), and the client's page (`page`) is cut only then.
 *
 * A customer list (grouped by the view's customer key; the access policy refuses dimensions of
 * a member's events in one, so a row is one member) with fewer members than the minimum is
 * withheld whole; in a longer one every figure and every identifying dimension (a member's
 * revenue, order count, predicted CLV, last order time, a time bucket finer than a month) is
 * blanked: it lists member numbers with their categories only.
 * The count measures the client did not ask for (`added`) are dropped.
 */
export function suppressSmallGroups(result: QueryResult, added: string[], index: MemberIndex, minGroupSize: number, page?: Page, thresholdKey?: Buffer, released?: Row[]): QueryResult {
  const query = result.query;
  const cubes = cubesOf(query)
    .map((name) => index.get(name))
    .filter((c) => c !== undefined);
  const rowCounts = cubes.map((c) => c.customerCount).filter((m): m is string => !!m);
  const measures = (query.measures ?? []).filter((m) => !added.includes(m));
  const listsCustomers = cubes.some((c) => c.customerKey && query.dimensions?.includes(c.customerKey));
  const count = (row: Row, m: string) => (row[m] === null || row[m] === undefined ? 0 : Number(row[m]));
  // A count that does not count distinct customers in this query judges nothing: its figures are blanked.
  const holds = new Map([...rowCounts, ...measures.flatMap((m) => contributorsOf(m, index) ?? [])].map((c) => [c, countsDistinctCustomers(c, query, index)]));
  const digests = new Map([...holds.keys()].map((c) => [c, digestOf(c, index)]));
  const isUnder = (row: Row, c: string) => {
    if (!holds.get(c)) return true;
    const digest = digests.get(c);
    return thresholdKey && digest ? underThreshold(row[c], row[digest], minGroupSize, thresholdKey) : underMinimum(row[c], minGroupSize);
  };
  const rowIsSmall = (row: Row) => rowCounts.some((m) => isUnder(row, m));

  let data = result.data;
  let suppressed: Suppressed | undefined;
  if (listsCustomers) {
    if ((result.total ?? data.length) < minGroupSize) {
      data = [];
      suppressed = { minGroupSize, rows: 'all', withheld: result.data.length };
    } else {
      const fineTimes = (query.timeDimensions ?? []).filter((t) => t.granularity && !LIST_GRANULARITIES.has(t.granularity)).flatMap((t) => [`${t.dimension}.${t.granularity}`, t.dimension]);
      const perMember = [...measures, ...(query.dimensions ?? []).filter((d) => !cubes.some((c) => c.customerKey === d) && isIdentifyingDimension(d, index)), ...fineTimes];
      if (perMember.length) {
        data = data.map((row) => ({ ...row, ...Object.fromEntries(perMember.map((m) => [m, null])) }));
        suppressed = { minGroupSize, rows: data.map((_, i) => i), withheld: 0 };
      }
    }
  } else {
    const keys = groupingKeys(query);
    const leaveOut = new Set(hasIdentifyingDimensions(query, index) ? data.flatMap((row, i) => (rowIsSmall(row) ? [i] : [])) : []);
    // Per measure: its figures under the minimum (rows left out count as hidden), then its complementary cells.
    const hiddenOf = new Map(
      measures.map((m) => {
        const counts = contributorsOf(m, index);
        // A measure without any count to judge it by (the model check refuses one) is never shown.
        if (!counts) return [m, new Set(data.map((_, i) => i))];
        const small = new Set(data.flatMap((row, i) => (leaveOut.has(i) || counts.some((c) => isUnder(row, c)) ? [i] : [])));
        const size = (row: Row) => Math.min(...counts.map((c) => count(row, c)));
        if (!counts.length) return [m, small];
        // A figure no customer contributes to (every count zero or empty) is blank but holds nothing
        // to protect: its line minus the visible cells gives nothing, so it asks no other cell hidden.
        const empty = new Set(data.flatMap((row, i) => (counts.every((c) => holds.get(c) && count(row, c) === 0) ? [i] : [])));
        const live = data.flatMap((_, i) => (empty.has(i) ? [] : [i]));
        const rows = live.map((i) => data[i]);
        let hidden = new Set(live.flatMap((i, j) => (small.has(i) ? [j] : [])));
        const over = index.get(m.split('.')[0])?.members.get(m)?.runningOver;
        if (!over || !keys.includes(over)) hidden = complementaryCells(rows, hidden, keys, size);
        else {
          // A running total: hide what follows each hidden figure, then complementary cells, until both hold.
          hidden = laterInRun(rows, hidden, keys, over);
          for (let before = -1; before !== hidden.size;) {
            before = hidden.size;
            hidden = laterInRun(rows, complementaryCells(rows, hidden, keys, size), keys, over);
          }
        }
        return [m, new Set([...empty, ...[...hidden].map((j) => live[j])])];
      }),
    );
    const blanked = (i: number) => measures.filter((m) => hiddenOf.get(m)!.has(i));
    let kept = data.flatMap((row, i) => {
      if (leaveOut.has(i)) return [];
      const hidden = blanked(i);
      return [{ index: i, row: hidden.length ? { ...row, ...Object.fromEntries(hidden.map((m) => [m, null])) } : row, hidden, key: JSON.stringify(keys.map((k) => row[k])) }];
    });
    const orderMeasures = orderMembers(query.order).filter((m) => index.get(m.split('.')[0])?.members.get(m)?.kind === 'measure');
    if (orderMeasures.length) {
      const unranked = (r: (typeof kept)[number]) => r.hidden.some((m) => orderMeasures.includes(m));
      const last = kept.filter(unranked).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const ranked = kept.filter((r) => !unranked(r));
      kept = [...(released ? rankByReleased(ranked, query, (m) => orderMeasures.includes(m), released) : ranked), ...last];
    }
    if (page) kept = kept.slice(page.offset, page.offset + page.limit);
    data = kept.map((r) => r.row);
    const rows = kept.flatMap((r, i) => (r.hidden.length ? [i] : []));
    // Left out of the rows the client's page selects in the warehouse's order (all of them, unpaged).
    const withheld = page ? [...leaveOut].filter((i) => i >= page.offset && i < page.offset + page.limit).length : leaveOut.size;
    if (rows.length || withheld) suppressed = { minGroupSize, rows, withheld };
  }

  const without = <T extends Row>(record: T) => Object.fromEntries(Object.entries(record).filter(([k]) => !added.includes(k))) as T;
  return {
    ...result,
    query: { ...query, measures, ...(page ? { limit: page.limit, offset: page.offset } : {}) },
    data: data.map(without),
    ...(result.annotation?.measures ? { annotation: { ...result.annotation, measures: without(result.annotation.measures as Row) } } : {}),
    ...(suppressed ? { suppressed } : {}),
  };
}
