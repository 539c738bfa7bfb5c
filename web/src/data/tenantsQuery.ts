import type { Query } from '@cubejs-client/core';

/**
 * The tenants a user can see (one for a tenant's own token), with what the model has of their
 * names, fiscal-year start months and currencies. Asked by the board and by the currency scope of
 * pages without a tenant picker (ui/currency.tsx), so it lives with data access, not in a feature.
 */
export function tenantsQuery(measure: string, tenantDimension: string, columns: (string | undefined)[] = []): Query {
  return { measures: [measure], dimensions: [tenantDimension, ...columns.filter((c) => c !== undefined)], order: { [tenantDimension]: 'asc' } };
}
