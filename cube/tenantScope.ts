import { ALL_TENANTS, type SecurityContext } from './auth/securityContext.js';

/** Every cube and view exposes this dimension (checked by `npm run model:check`). */
export const TENANT_DIMENSION = 'tenant_id';

type Filter = { member?: string; dimension?: string; and?: Filter[]; or?: Filter[] };
interface CubeQuery {
  measures?: string[];
  dimensions?: string[];
  segments?: string[];
  timeDimensions?: { dimension: string }[];
  filters?: Filter[];
  order?: unknown;
}

function filterMembers(filters: Filter[] = []): string[] {
  return filters.flatMap((f) => [f.member ?? f.dimension ?? '', ...filterMembers(f.and), ...filterMembers(f.or)]);
}

/** Cube (or view) names a query touches, through any of its parts. */
export function cubesOf(query: CubeQuery): string[] {
  const members = [
    ...(query.measures ?? []),
    ...(query.dimensions ?? []),
    ...(query.segments ?? []),
    ...(query.timeDimensions ?? []).map((t) => t.dimension),
    ...filterMembers(query.filters),
  ];
  return [...new Set(members.filter(Boolean).map((m) => m.split('.')[0]))];
}

/**
 * Row-level security: a tenant-bound token gets an `equals` filter on the tenant dimension
 * of every cube its query touches, appended to the query's own filters (a top-level AND),
 * so nothing in the query can widen it.
 */
export function scopeQueryToTenant<Q extends CubeQuery>(query: Q, context: SecurityContext): Q {
  if (context.tenant_id === ALL_TENANTS) return query;
  const tenantFilters = cubesOf(query).map((cube) => ({
    member: `${cube}.${TENANT_DIMENSION}`,
    operator: 'equals',
    values: [context.tenant_id],
  }));
  return { ...query, filters: [...(query.filters ?? []), ...tenantFilters] };
}
