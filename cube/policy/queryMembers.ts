/** The parts of a Cube REST query the policies read. */
export interface Filter {
  member?: string;
  dimension?: string;
  operator?: string;
  values?: string[];
  and?: Filter[];
  or?: Filter[];
}

export interface CubeQuery {
  measures?: string[];
  dimensions?: string[];
  segments?: string[];
  timeDimensions?: { dimension: string; granularity?: string; dateRange?: unknown }[];
  filters?: Filter[];
  /** As sent: `{ member: dir }` or `[[member, dir]]`; as normalized by Cube: `[{ id, desc }]`. */
  order?: Record<string, string> | ([string, string] | { id: string; desc?: boolean })[];
  limit?: number;
  offset?: number;
  total?: boolean;
  ungrouped?: boolean;
}

/** Members named by filters, nested `and`/`or` groups included. */
export function filterMembers(filters: Filter[] = []): string[] {
  return filters.flatMap((f) => [f.member ?? f.dimension ?? '', ...filterMembers(f.and), ...filterMembers(f.or)]);
}

export function orderMembers(order: CubeQuery['order']): string[] {
  if (!order) return [];
  if (!Array.isArray(order)) return Object.keys(order);
  return order.map((entry) => (Array.isArray(entry) ? entry[0] : entry?.id)).filter((m): m is string => typeof m === 'string');
}

/** A query's order as (member, descending) pairs, whichever way it is written. */
export function orderDirections(order: CubeQuery['order']): { member: string; desc: boolean }[] {
  if (!order) return [];
  if (!Array.isArray(order)) return Object.entries(order).map(([member, dir]) => ({ member, desc: dir === 'desc' }));
  return order.flatMap((entry) => (Array.isArray(entry) ? [{ member: entry[0], desc: entry[1] === 'desc' }] : entry?.id ? [{ member: entry.id, desc: !!entry.desc }] : []));
}

/** Every member a query names, through any of its parts (time dimensions without granularity suffix). */
export function membersOf(query: CubeQuery): string[] {
  const members = [
    ...(query.measures ?? []),
    ...(query.dimensions ?? []),
    ...(query.segments ?? []),
    ...(query.timeDimensions ?? []).map((t) => t.dimension),
    ...filterMembers(query.filters),
    ...orderMembers(query.order),
  ];
  return [...new Set(members.filter(Boolean).map((m) => m.split('.').slice(0, 2).join('.')))];
}

/** Cube (or view) names a query touches. */
export function cubesOf(query: CubeQuery): string[] {
  return [...new Set(membersOf(query).map((m) => m.split('.')[0]))];
}
