import type { Query } from '@cubejs-client/core';
import { useCubeQuery } from './useCubeQuery';

/**
 * What the tenant's data holds besides members and orders (view data_coverage): an imported
 * tenant has no tiers, campaigns or inquiries, and pages say so instead of showing zeros.
 * `null` while unknown (loading, or the role's catalog lacks the view): pages then show what
 * they have, as before.
 */
export interface DataCoverage {
  campaigns: boolean;
  tiers: boolean;
  inquiries: boolean;
}

export function dataCoverageQuery(tenant?: string): Query {
  return {
    measures: ['data_coverage.campaigns', 'data_coverage.tier_records', 'data_coverage.inquiries'],
    filters: tenant ? [{ member: 'data_coverage.tenant_id', operator: 'equals', values: [tenant] }] : [],
  };
}

export function coverageFromRow(row: Record<string, unknown> | undefined): DataCoverage | null {
  if (!row) return null;
  const has = (m: string) => Number(row[`data_coverage.${m}`] ?? 0) > 0;
  return { campaigns: has('campaigns'), tiers: has('tier_records'), inquiries: has('inquiries') };
}

/** The coverage of the user's tenant (all their tenants for an admin), or of one tenant. `enabled: false` asks nothing. */
export function useDataCoverage(enabled: boolean, tenant?: string): DataCoverage | null {
  const state = useCubeQuery(enabled ? dataCoverageQuery(tenant) : null);
  return coverageFromRow((state.resultSet?.rawData() ?? [])[0] as Record<string, unknown> | undefined);
}
