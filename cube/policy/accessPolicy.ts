import type { SecurityContext } from '../auth/securityContext.js';
import type { MemberIndex } from './memberIndex.js';
import { cubesOf, membersOf, type CubeQuery } from './queryMembers.js';
import { ROLE_CAPABILITIES } from './roles.js';

/** A query the token's role may not run; answered with 403 and this message. */
export class AccessDenied extends Error {}

/** A query naming something that is not part of the public model; answered with 400. */
export class UnknownMember extends Error {}

/**
 * Refuses a query that names personal data (members with `meta.pii`) for a role without
 * access to it, in any part of the query (measures, dimensions, filters, order, segments),
 * and any query outside the board for board-only roles.
 */
export function checkQueryAccess(query: CubeQuery, context: SecurityContext, index: MemberIndex): void {
  const capabilities = ROLE_CAPABILITIES[context.role];
  for (const member of membersOf(query)) {
    const cube = index.get(member.split('.')[0]);
    if (!cube?.visible) throw new UnknownMember(`Unknown member "${member}": query the views that /meta lists.`);
    if (capabilities.boardOnly && !cube.board) {
      throw new AccessDenied(`The ${context.role} role sees the board only; "${cube.name}" is not part of it.`);
    }
    if (cube.members.get(member)?.pii && !capabilities.personalData) {
      throw new AccessDenied(`${member} is personal data (name, email, phone); the ${context.role} role may not query it.`);
    }
  }
}

/** Whether results for this role must hide figures describing fewer than the minimum group. */
export function needsSuppression(context: SecurityContext): boolean {
  return !ROLE_CAPABILITIES[context.role].personalData;
}

/**
 * For roles under suppression: adds each touched view's customer-count measure to the query
 * (so every result row says how many customers it describes) and asks for the total row
 * count of customer lists.
 */
export function withSuppressionMeasures<Q extends CubeQuery>(query: Q, context: SecurityContext, index: MemberIndex): Q {
  if (!needsSuppression(context)) return query;
  const cubes = cubesOf(query).map((name) => index.get(name)).filter((c) => c !== undefined);
  const counts = cubes.map((c) => c.customerCount).filter((m): m is string => !!m);
  const listsCustomers = cubes.some((c) => c.customerKey && query.dimensions?.includes(c.customerKey));
  const measures = [...new Set([...(query.measures ?? []), ...counts])];
  return { ...query, measures, ...(listsCustomers ? { total: true } : {}) };
}

export interface LoadResult {
  query: CubeQuery;
  data: Record<string, unknown>[];
  total?: number | null;
  annotation?: { measures?: Record<string, unknown> };
  suppressed?: { minGroupSize: number; rows: number[] | 'all' };
}

/**
 * Blanks the measures of every row that describes between 1 and `minGroupSize - 1`
 * customers, and a whole customer list shorter than the minimum; then drops the count
 * measures the client did not ask for. Rows keep their dimension values so the UI can
 * show "< 10" in the right cell.
 */
export function suppressSmallGroups(result: LoadResult, requested: CubeQuery, index: MemberIndex, minGroupSize: number): LoadResult {
  const cubes = cubesOf(result.query).map((name) => index.get(name)).filter((c) => c !== undefined);
  const counts = cubes.map((c) => c.customerCount).filter((m): m is string => !!m);
  const measures = result.query.measures ?? [];
  const listsCustomers = cubes.some((c) => c.customerKey && result.query.dimensions?.includes(c.customerKey));
  const blank = (row: Record<string, unknown>) => ({ ...row, ...Object.fromEntries(measures.map((m) => [m, null])) });

  let suppressed: LoadResult['suppressed'];
  let data = result.data;
  if (listsCustomers && (result.total ?? data.length) < minGroupSize) {
    data = [];
    suppressed = { minGroupSize, rows: 'all' };
  } else if (!listsCustomers) {
    const small = data.flatMap((row, i) => (counts.some((m) => { const n = Number(row[m]); return n > 0 && n < minGroupSize; }) ? [i] : []));
    data = data.map((row, i) => (small.includes(i) ? blank(row) : row));
    if (small.length) suppressed = { minGroupSize, rows: small };
  }

  const added = counts.filter((m) => !(requested.measures ?? []).includes(m));
  const without = <T extends Record<string, unknown>>(record: T) => Object.fromEntries(Object.entries(record).filter(([k]) => !added.includes(k))) as T;
  return {
    ...result,
    query: { ...result.query, measures: measures.filter((m) => !added.includes(m)) },
    data: data.map(without),
    ...(result.annotation?.measures ? { annotation: { ...result.annotation, measures: without(result.annotation.measures) } } : {}),
    ...(suppressed ? { suppressed } : {}),
  };
}

interface MetaMember { name: string; meta?: Record<string, unknown> }
interface MetaCube { name: string; meta?: Record<string, unknown>; measures?: MetaMember[]; dimensions?: MetaMember[]; segments?: MetaMember[] }

/** /meta as the role may see it: no personal-data members, and only board views for board-only roles. */
export function metaForRole(cubes: MetaCube[], context: SecurityContext): MetaCube[] {
  const capabilities = ROLE_CAPABILITIES[context.role];
  const visible = (m: MetaMember) => capabilities.personalData || m.meta?.pii !== true;
  return cubes
    .filter((c) => !capabilities.boardOnly || c.meta?.board === true)
    .map((c) => ({
      ...c,
      measures: c.measures?.filter(visible),
      dimensions: c.dimensions?.filter(visible),
      segments: c.segments?.filter(visible),
    }));
}
