import type { Query } from '@cubejs-client/core';

/**
 * Pure builders of the model-check page's queries: the holdout check that npm run clv writes
 * (views clv_tracking and clv_holdout_groups), for one tenant at a time.
 */
const forTenant = (view: string, tenant: string) => [{ member: `${view}.tenant_id`, operator: 'equals' as const, values: [tenant] }];

/** Tenants with a check (one for a tenant-bound user; every tenant for an admin). */
export function checkedTenantsQuery(): Query {
  return { measures: ['clv_tracking.members'], dimensions: ['clv_tracking.tenant_id'], order: { 'clv_tracking.tenant_id': 'asc' } };
}

/** FHL 2005 Figure 3: cumulative repeat purchases per week, actual and expected, over calibration and holdout. */
export function trackingQuery(tenant: string): Query {
  return {
    measures: ['clv_tracking.cumulative_actual_repeat_purchases', 'clv_tracking.cumulative_expected_repeat_purchases'],
    dimensions: ['clv_tracking.week', 'clv_tracking.week_start', 'clv_tracking.in_holdout'],
    filters: forTenant('clv_tracking', tenant),
    order: { 'clv_tracking.week': 'asc' },
    limit: 10000,
  };
}

/** FHL 2005 Figure 4: holdout purchases per member, actual and expected, by calibration purchases 0 … 7+. */
export function groupsQuery(tenant: string): Query {
  return {
    measures: ['clv_holdout_groups.actual_per_customer', 'clv_holdout_groups.expected_per_customer'],
    dimensions: ['clv_holdout_groups.calibration_purchases'],
    filters: forTenant('clv_holdout_groups', tenant),
    order: { 'clv_holdout_groups.calibration_purchases': 'asc' },
  };
}

/** The check's periods and its totals over the holdout. */
export function checkSummaryQuery(tenant: string): Query {
  return {
    measures: ['clv_holdout_groups.members', 'clv_holdout_groups.actual_holdout_purchases', 'clv_holdout_groups.expected_holdout_purchases'],
    dimensions: ['clv_holdout_groups.calibration_end', 'clv_holdout_groups.holdout_end'],
    filters: forTenant('clv_holdout_groups', tenant),
  };
}

/** The group label of a calibration purchase count: 7 holds seven or more. */
export const groupLabel = (x: number) => (x >= 7 ? '7+' : String(x));
