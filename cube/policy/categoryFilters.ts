import type { MemberIndex } from './memberIndex.js';
import type { CubeQuery, Filter } from './queryMembers.js';

// A day, or a day's first or last instant: what Cube writes a date-only bound as after
// normalizing a query ('2024-01-01' -> '2024-01-01T00:00:00.000', an end -> 'T23:59:59.999'),
// and what a relative range such as 'last 12 months' becomes. Anything else names a time of day.
const DAY_GRAIN = /^\d{4}-\d{2}-\d{2}(T00:00:00(\.000)?|T23:59:59\.999)?$/;

/**
 * For roles under small-group suppression, a filter may name only categories: string and
 * boolean dimensions, numbers marked `meta.category` (an RFM score, a month offset), and time
 * dimensions compared at day grain or coarser; so may a time dimension's date range. Each
 * filter is a yes/no question about the rows it keeps, and on a figure of one member — an
 * identifier, an amount, a timestamp — `or[and[customer_id = X, lifetime_revenue >= N], ten
 * other members]` answers it for member X: a bisection read X's lifetime revenue to the yen and
 * last order to the second in about 54 queries while every response counted 10 customers.
 * Returns the refusal's message, naming the member, or null when every filter is a category.
 */
export function nonCategoryFilter(query: CubeQuery, index: MemberIndex, role: string): string | null {
  for (const t of query.timeDimensions ?? []) {
    const bound = finerThanDay(t.dateRange);
    if (bound !== undefined) return `The ${role} role may compare ${t.dimension} by whole days only; the date range bound ${JSON.stringify(bound)} has a time of day.`;
  }
  return nonCategoryIn(query.filters ?? [], index, role);
}

function nonCategoryIn(filters: Filter[], index: MemberIndex, role: string): string | null {
  for (const f of filters) {
    const nested = nonCategoryIn(f.and ?? [], index, role) ?? nonCategoryIn(f.or ?? [], index, role);
    if (nested) return nested;
    const name = f.member ?? f.dimension;
    if (!name) continue;
    const member = index.get(name.split('.')[0])?.members.get(name);
    if (member?.kind === 'segment') continue;
    if (member?.kind === 'dimension' && member.type === 'time') {
      const bound = finerThanDay(f.values);
      if (bound !== undefined) return `The ${role} role may compare ${name} by whole days only; the filter value ${JSON.stringify(bound)} has a time of day.`;
      continue;
    }
    if (!(member?.kind === 'dimension' && mayFilterOn(member.type, member.category))) {
      return `Filters on ${name} are not available to the ${role} role: it is a figure or identifier of single members (not a category), and a filter on it answers a yes/no question about the members it selects.`;
    }
  }
  return null;
}

/** Whether a role under suppression may filter on a dimension of this type (a time: by whole days only). */
export function mayFilterOn(type: string | undefined, category: boolean): boolean {
  return type === 'string' || type === 'boolean' || type === 'time' || category;
}

/** The first value of a date range or a time filter that is finer than a day, or undefined. */
function finerThanDay(values: unknown): unknown {
  if (values === undefined || values === null) return undefined;
  const list = Array.isArray(values) ? values : [values];
  return list.find((v) => typeof v !== 'string' || !DAY_GRAIN.test(v));
}

// A bound as Cube writes it (a day, or its first or last instant): the day's date parts.
const DAY_BOUND = /^(\d{4})-(\d{2})-(\d{2})/;
// Bounds that open a period (its first day counts) and those that close one (its last day counts).
const OPENING = new Set(['afterOrOnDate', 'beforeDate']);
const CLOSING = new Set(['beforeOrOnDate', 'afterDate']);

/** Whether a bound is a month's first day (`opening`) or its last day (a closing bound). */
function onMonthEdge(value: unknown, opening: boolean): boolean {
  const parts = typeof value === 'string' ? DAY_BOUND.exec(value) : null;
  if (!parts) return false;
  const [year, month, day] = parts.slice(1).map(Number);
  return opening ? day === 1 : day === new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether a time comparison's bounds all fall on month edges: a range from a month's first day to a month's last. */
function byWholeMonths(operator: string | undefined, values: unknown[]): boolean {
  if (operator === 'set' || operator === 'notSet') return true;
  if (operator === 'inDateRange' || operator === 'notInDateRange') return values.length === 2 && onMonthEdge(values[0], true) && onMonthEdge(values[1], false);
  if (OPENING.has(operator ?? '')) return values.every((v) => onMonthEdge(v, true));
  if (CLOSING.has(operator ?? '')) return values.every((v) => onMonthEdge(v, false));
  return false;
}

/**
 * A customer list (roles under suppression) may narrow its members by time by whole months at
 * the finest. A member's first and last order days are what they are, not what they did, but a
 * list filtered on `last_order_at` by day names the members who last ordered that day: one list
 * per day gave every member's last order day, a day-grain event. Returns the refusal's message
 * naming the member, or null when every time filter and date range is by whole months.
 */
export function finerThanMonthInList(query: CubeQuery, index: MemberIndex, role: string): string | null {
  const refusal = (member: string) =>
    `A customer list for the ${role} role may narrow ${member} by whole months only (from a month's first day to a month's last): finer, the list would name the members by the day of what they did.`;
  for (const t of query.timeDimensions ?? []) {
    if (Array.isArray(t.dateRange) && !byWholeMonths('inDateRange', t.dateRange)) return refusal(t.dimension);
  }
  const timeFilter = (filters: Filter[]): string | null => {
    for (const f of filters) {
      const nested = timeFilter(f.and ?? []) ?? timeFilter(f.or ?? []);
      if (nested) return nested;
      const name = f.member ?? f.dimension;
      const member = name ? index.get(name.split('.')[0])?.members.get(name) : undefined;
      if (member?.kind === 'dimension' && member.type === 'time' && !byWholeMonths(f.operator, f.values ?? [])) return refusal(name!);
    }
    return null;
  };
  return timeFilter(query.filters ?? []);
}
