import type { MemberIndex } from './memberIndex.js';
import { cubesOf, type CubeQuery } from './queryMembers.js';

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
  /** Indexes of rows whose measures are blanked, or 'all' for a withheld customer list. */
  rows: number[] | 'all';
  /** Rows left out entirely: under the minimum, with dimensions that single people out. */
  withheld: number;
}

// Time buckets at least this coarse are categories (the board asks for the last day with data);
// finer ones come close to a timestamp, which can name a person.
const COARSE_GRANULARITIES = new Set(['day', 'week', 'month', 'quarter', 'year']);

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
 * Complementary suppression: in every line of the grid (the rows that share all grouping
 * values but one), a single hidden cell could be recovered as the line's total (another
 * allowed query) minus the visible cells; so while any line hides exactly one cell, the
 * smallest visible cell of that line is hidden too. The choice depends on the cells' values
 * only, never on the order the warehouse returned them in: the same query always hides the
 * same cells (a choice that varied between runs would let repeated requests reveal each one).
 */
export function complementaryCells(rows: Row[], hidden: Set<number>, keys: string[], size: (row: Row) => number): Set<number> {
  const result = new Set(hidden);
  const cellKey = rows.map((row) => JSON.stringify(keys.map((k) => row[k])));
  const inCellOrder = rows.map((_, i) => i).sort((a, b) => (cellKey[a] < cellKey[b] ? -1 : cellKey[a] > cellKey[b] ? 1 : 0));
  const smaller = (a: number, b: number) => size(rows[a]) - size(rows[b]) || (cellKey[a] < cellKey[b] ? -1 : 1);
  // Every line once, in cell order: the row indexes sharing all grouping values but one.
  const lines = keys.flatMap((key) => {
    const byOthers = new Map<string, number[]>();
    for (const i of inCellOrder) {
      const line = JSON.stringify(keys.filter((k) => k !== key).map((k) => rows[i][k]));
      const members = byOthers.get(line);
      if (members) members.push(i);
      else byOthers.set(line, [i]);
    }
    return [...byOthers.values()];
  });
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      const visible = line.filter((i) => !result.has(i));
      if (line.length - visible.length !== 1 || !visible.length) continue;
      result.add(visible.reduce((a, b) => (smaller(b, a) < 0 ? b : a)));
      changed = true;
    }
  }
  return result;
}

/**
 * Small-group suppression of one result, for roles without personal data. A row describes
 * a group of customers (the count measures the policy added); a group under the minimum,
 * empty groups included, has every measure blanked, or is left out when its dimension values
 * alone could single a person out; complementary cells are blanked so no hidden cell follows
 * from its line's total; blanked rows go last when the query orders by a measure (their
 * rank would bound their value). A customer list shorter than the minimum is withheld whole;
 * in a longer one each row is one customer, so its measures and identifying dimensions (a
 * member's revenue, order count, predicted CLV, P(alive), last order time, a time bucket finer
 * than a day) are blanked: it
 * lists member numbers with their categories only.
 * The count measures the client did not ask for (`added`) are dropped.
 */
export function suppressSmallGroups(result: QueryResult, added: string[], index: MemberIndex, minGroupSize: number): QueryResult {
  const query = result.query;
  const cubes = cubesOf(query)
    .map((name) => index.get(name))
    .filter((c) => c !== undefined);
  const counts = cubes.map((c) => c.customerCount).filter((m): m is string => !!m);
  const measures = query.measures ?? [];
  const listsCustomers = cubes.some((c) => c.customerKey && query.dimensions?.includes(c.customerKey));
  const size = (row: Row) => Math.min(...counts.map((m) => (row[m] === null || row[m] === undefined ? 0 : Number(row[m]))));
  const isSmall = (row: Row) => counts.length > 0 && !(size(row) >= minGroupSize);

  let data = result.data;
  let suppressed: Suppressed | undefined;
  if (listsCustomers) {
    if ((result.total ?? data.length) < minGroupSize) {
      data = [];
      suppressed = { minGroupSize, rows: 'all', withheld: result.data.length };
    } else {
      const fineTimes = (query.timeDimensions ?? []).filter((t) => t.granularity && !COARSE_GRANULARITIES.has(t.granularity)).flatMap((t) => [`${t.dimension}.${t.granularity}`, t.dimension]);
      const perMember = [...measures, ...(query.dimensions ?? []).filter((d) => !cubes.some((c) => c.customerKey === d) && isIdentifyingDimension(d, index)), ...fineTimes];
      if (perMember.length) {
        data = data.map((row) => ({ ...row, ...Object.fromEntries(perMember.map((m) => [m, null])) }));
        suppressed = { minGroupSize, rows: data.map((_, i) => i), withheld: 0 };
      }
    }
  } else {
    const small = new Set(data.flatMap((row, i) => (isSmall(row) ? [i] : [])));
    const hidden = complementaryCells(data, small, groupingKeys(query), size);
    const leaveOut = hasIdentifyingDimensions(query, index) ? small : new Set<number>();
    const blank = (row: Row) => ({ ...row, ...Object.fromEntries(measures.map((m) => [m, null])) });
    let kept = data.flatMap((row, i) => (leaveOut.has(i) ? [] : [{ row: hidden.has(i) ? blank(row) : row, hidden: hidden.has(i) }]));
    if (orderedByMeasure(query, index)) kept = [...kept.filter((r) => !r.hidden), ...kept.filter((r) => r.hidden)];
    data = kept.map((r) => r.row);
    const rows = kept.flatMap((r, i) => (r.hidden ? [i] : []));
    if (hidden.size) suppressed = { minGroupSize, rows, withheld: leaveOut.size };
  }

  const without = <T extends Row>(record: T) => Object.fromEntries(Object.entries(record).filter(([k]) => !added.includes(k))) as T;
  return {
    ...result,
    query: { ...query, measures: measures.filter((m) => !added.includes(m)) },
    data: data.map(without),
    ...(result.annotation?.measures ? { annotation: { ...result.annotation, measures: without(result.annotation.measures as Row) } } : {}),
    ...(suppressed ? { suppressed } : {}),
  };
}

function orderedByMeasure(query: CubeQuery, index: MemberIndex): boolean {
  const order = query.order;
  if (!order) return false;
  const members = Array.isArray(order) ? order.map((o) => (Array.isArray(o) ? o[0] : o.id)) : Object.keys(order);
  return members.some((m) => index.get(m.split('.')[0])?.members.get(m)?.kind === 'measure');
}
