import { ALL_TENANTS, type SecurityContext } from '../auth/securityContext.js';
import { cubesOf, type CubeQuery } from './queryMembers.js';

/** Every cube and view exposes this dimension (checked by `npm run model:check`). */
export const TENANT_DIMENSION = 'tenant_id';

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
