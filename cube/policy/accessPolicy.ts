import type { SecurityContext } from '../auth/securityContext.js';
import { finerThanMonthInList, mayFilterOn, nonCategoryFilter } from './categoryFilters.js';
import { contributorsOf, digestOf, type MemberIndex } from './memberIndex.js';
import { cubesOf, filterMembers, membersOf, orderMembers, type CubeQuery } from './queryMembers.js';
import { ROLE_CAPABILITIES } from './roles.js';
import { summedSnapshot } from './snapshots.js';
import { isIdentifyingDimension, LIST_GRANULARITIES, type Page } from './suppression.js';
import { assertKnownTimeZone } from './timeZones.js';

/** A query the token's role may not run; answered with 403 and this message. */
export class AccessDenied extends Error {}

/** A query that is malformed or names something outside the public model; answered with 400. */
export class BadQuery extends Error {}

/** Whether results for this role must hide figures describing fewer than the minimum group. */
export function needsSuppression(context: SecurityContext): boolean {
  return !ROLE_CAPABILITIES[context.role].personalData;
}

/**
 * Checks a query (as Cube normalized it) against the closed lists of the model and the
 * token's role, before any SQL is built from it:
 * - its time zone is an IANA name (it reaches SQL as text) and every member it names, in
 *   any part, is one that /meta lists (so `view.__proto__` never reaches the compiler);
 * - personal data (members with `meta.pii`) only for roles allowed it; board views only for
 *   board-only roles; at most the role's row ceiling;
 * - month-end snapshot measures (`meta.snapshot`) read one month at a time, never summed;
 * - for roles under small-group suppression: no ungrouped rows, no filters on measures (a
 *   yes/no on a hidden figure recovers it by bisection) nor on anything but categories
 *   (categoryFilters.ts), and no view that lists customers
 *   without counting them (nothing to suppress by).
 */
export function checkQueryAccess(query: CubeQuery & { timezone?: unknown }, context: SecurityContext, index: MemberIndex): void {
  const capabilities = ROLE_CAPABILITIES[context.role];
  try {
    assertKnownTimeZone(query.timezone ?? 'UTC');
  } catch (e) {
    throw new BadQuery((e as Error).message);
  }
  for (const member of membersOf(query)) {
    const cube = index.get(member.split('.')[0]);
    // A digest (a sum of hashed member numbers) is the policy's own: it would tell whether a member is
    // in a group. It stays in the model's meta, where Cube reads how to return the column the policy adds.
    if (!cube?.visible || !cube.members.has(member) || cube.members.get(member)!.isDigest) throw new BadQuery(`Unknown member "${member}": query the views and members that /meta lists.`);
    if (capabilities.boardOnly && !cube.board) {
      throw new AccessDenied(`The ${context.role} role sees the board only; "${cube.name}" is not part of it.`);
    }
    if (cube.members.get(member)!.pii && !capabilities.personalData) {
      throw new AccessDenied(`${member} is personal data (name, email, phone); the ${context.role} role may not query it.`);
    }
  }
  if (typeof query.limit === 'number' && query.limit > capabilities.maxRows) {
    throw new BadQuery(`"limit" ${query.limit} is above the ${context.role} role's ceiling of ${capabilities.maxRows.toLocaleString('en')} rows.`);
  }
  const summed = summedSnapshot(query, index);
  if (summed) throw new BadQuery(summed);
  if (!capabilities.customerLists && isCustomerList(query, index)) {
    throw new AccessDenied(`The ${context.role} role may not list customers: an embedded chart shows its rows to whoever holds the link, so it may show groups of customers only, not member numbers.`);
  }
  if (!needsSuppression(context)) return;
  if (query.ungrouped) throw new AccessDenied(`Ungrouped (row-level) queries are not available to the ${context.role} role: its figures are shown for groups of customers only.`);
  const measureFilter = filterMembers(query.filters).find((m) => index.get(m.split('.')[0])?.members.get(m)?.kind === 'measure');
  if (measureFilter) {
    throw new AccessDenied(`Filters on measures (${measureFilter}) are not available to the ${context.role} role: they would reveal figures hidden for small groups.`);
  }
  const nonCategory = nonCategoryFilter(query, index, context.role);
  if (nonCategory) throw new AccessDenied(nonCategory);
  for (const name of cubesOf(query)) {
    const cube = index.get(name)!;
    if (cube.customerKey && !cube.customerCount) {
      throw new AccessDenied(`"${name}" has no customer count to protect small groups with, so the ${context.role} role may not query it.`);
    }
  }
  // A customer list shows each member's categories, never their figures (suppression blanks
  // them), so it may not be ordered by one either: the order would rank the members by it.
  const listsCustomers = isCustomerList(query, index);
  const perMemberOrder =
    listsCustomers &&
    effectiveOrder(query).find((m) => {
      const cube = index.get(m.split('.')[0]);
      return m !== cube?.customerKey && (cube?.members.get(m)?.kind === 'measure' || isIdentifyingDimension(m, index));
    });
  if (perMemberOrder) {
    throw new AccessDenied(
      `A customer list for the ${context.role} role shows each member's categories only; it cannot be ordered by ${perMemberOrder}, a figure of one member${orderMembers(query.order).length ? '' : ' (a list sent without an order is ordered by its first time bucket, measure or dimension): order it by the member number'}.`,
    );
  }
  // A list grouped by one of a member's events (an order, a month, an assignment) would show
  // that member's history, one row per event, and count rows where customers are meant.
  const eventDimension =
    listsCustomers &&
    [...(query.dimensions ?? []), ...(query.timeDimensions ?? []).filter((t) => t.granularity).map((t) => t.dimension)].find((m) => index.get(m.split('.')[0])?.members.get(m)?.event);
  if (eventDimension) {
    throw new AccessDenied(
      `A customer list for the ${context.role} role shows each member's categories only; ${eventDimension} describes a member's events (orders, months, campaign assignments), which it may not list member by member.`,
    );
  }
  // Nor filtered on one: the list would name the members who did it (bought in March 2026,
  // converted in a campaign's treatment arm), one query per event value giving each member's
  // history. It may filter on what a member is (tier, region, cohort month, signup date) only.
  const eventFilter =
    listsCustomers &&
    [...filterMembers(query.filters), ...(query.timeDimensions ?? []).filter((t) => t.dateRange).map((t) => t.dimension)].find((m) => index.get(m.split('.')[0])?.members.get(m)?.event);
  if (eventFilter) {
    throw new AccessDenied(
      `A customer list for the ${context.role} role may be filtered on member attributes only (tier, region, cohort month, signup date); ${eventFilter} describes a member's events (orders, months, campaign assignments), and a filter on it would list the members who did them.`,
    );
  }
  const byDay = listsCustomers && finerThanMonthInList(query, index, context.role);
  if (byDay) throw new AccessDenied(byDay);
}

/** Whether a query lists customers: it groups by a view's member number (`meta.role: customer`). */
export function isCustomerList(query: CubeQuery, index: MemberIndex): boolean {
  return cubesOf(query).some((name) => {
    const key = index.get(name)?.customerKey;
    return !!key && !!query.dimensions?.includes(key);
  });
}

/**
 * The order Cube gives a query that sets none (BaseQuery.defaultOrder): its first time bucket,
 * else its first measure descending when it has dimensions, else its first dimension. Both the
 * list check and the rank-leak rewrite read it here, so they agree on what Cube will do.
 */
function cubeDefaultOrder(query: CubeQuery): { member: string; bucket?: string; byMeasure: boolean } | undefined {
  const bucket = query.timeDimensions?.find((t) => t.granularity);
  if (bucket) return { member: bucket.dimension, bucket: bucket.granularity!, byMeasure: false };
  if (query.measures?.length && query.dimensions?.length) return { member: query.measures[0], byMeasure: true };
  const first = query.dimensions?.[0];
  return first ? { member: first, byMeasure: false } : undefined;
}

/**
 * The members a query's rows are ordered by: its own order, or Cube's default one. A list sent
 * without an order and with lifetime_revenue as its first dimension came back ranked by it.
 */
function effectiveOrder(query: CubeQuery): string[] {
  const explicit = orderMembers(query.order);
  if (explicit.length) return explicit;
  const picked = cubeDefaultOrder(query);
  // A bucket whose values a customer list shows (LIST_GRANULARITIES; suppression.ts blanks finer ones) ranks nothing hidden.
  if (!picked || (picked.bucket && LIST_GRANULARITIES.has(picked.bucket))) return [];
  return [picked.member];
}

/**
 * For roles under suppression: adds to the query every distinct-customer count its figures are
 * judged by (each measure's contributors, and each touched view's customer count, which says how
 * many customers a row describes) with the digest of each that has one, and asks for the total
 * row count of customer lists. A query ordered by a measure is fetched from its first row up to
 * the role's ceiling: the rows whose
 * figure is blanked must go last before the client's page is cut, or a blanked row would sit at
 * its true rank (`page`, cut by suppressSmallGroups). Returns the rewritten query, the measures
 * it added and the page.
 */
export function withSuppressionMeasures<Q extends CubeQuery>(query: Q, context: SecurityContext, index: MemberIndex): { query: Q; added: string[]; page?: Page } {
  if (!needsSuppression(context)) return { query, added: [] };
  const cubes = cubesOf(query)
    .map((name) => index.get(name))
    .filter((c) => c !== undefined);
  const judging = [...cubes.map((c) => c.customerCount), ...(query.measures ?? []).flatMap((m) => contributorsOf(m, index) ?? [])].filter((m): m is string => !!m);
  // Each count's digest seeds its noisy threshold (noisyThreshold.ts).
  const counts = [...judging, ...judging.flatMap((c) => digestOf(c, index) ?? [])];
  const listsCustomers = cubes.some((c) => c.customerKey && query.dimensions?.includes(c.customerKey));
  const added = [...new Set(counts)].filter((m) => !(query.measures ?? []).includes(m));
  // Cube's default order by the first measure is made explicit, so it is handled too.
  const picked = orderMembers(query.order).length ? undefined : cubeDefaultOrder(query);
  const order: CubeQuery['order'] = picked?.byMeasure ? [[picked.member, 'desc']] : query.order;
  const orderedByMeasure = orderMembers(order).some((m) => index.get(m.split('.')[0])?.members.get(m)?.kind === 'measure');
  const maxRows = ROLE_CAPABILITIES[context.role].maxRows;
  // Cube answers at most 10,000 rows when a query sets no limit.
  const page = orderedByMeasure && !listsCustomers ? { limit: query.limit ?? 10_000, offset: query.offset ?? 0 } : undefined;
  const rewritten = { ...query, ...(order ? { order } : {}), measures: [...(query.measures ?? []), ...added], ...(listsCustomers ? { total: true } : {}) };
  if (page) Object.assign(rewritten, { limit: maxRows, offset: 0 });
  return { query: rewritten, added, ...(page ? { page } : {}) };
}

interface MetaMember {
  name: string;
  type?: string;
  meta?: Record<string, unknown>;
}
interface MetaCubeConfig {
  name: string;
  meta?: Record<string, unknown>;
  measures?: MetaMember[];
  dimensions?: MetaMember[];
  segments?: MetaMember[];
}

/**
 * Compiled cubes (`{ config }`) as the role may see them: no personal-data members, only board
 * views for board-only roles, and for roles under suppression `meta.filterable: false` on the
 * dimensions a filter may not name (categoryFilters.ts), so that Explore does not offer them.
 */
export function metaForRole<C extends { config: MetaCubeConfig }>(cubes: C[], context: SecurityContext): C[] {
  const capabilities = ROLE_CAPABILITIES[context.role];
  const visible = (m: MetaMember) => capabilities.personalData || m.meta?.pii !== true;
  const marked = (d: MetaMember) => (!needsSuppression(context) || mayFilterOn(d.type, d.meta?.category === true) ? d : { ...d, meta: { ...d.meta, filterable: false } });
  return cubes
    .filter(({ config }) => !capabilities.boardOnly || config.meta?.board === true)
    .map((cube) => ({
      ...cube,
      config: {
        ...cube.config,
        measures: cube.config.measures?.filter(visible),
        dimensions: cube.config.dimensions?.filter(visible).map(marked),
        segments: cube.config.segments?.filter(visible),
      },
    }));
}
