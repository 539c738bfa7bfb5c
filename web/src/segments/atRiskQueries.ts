import type { Query } from '@cubejs-client/core';

/**
 * Pure builders of the "customers at risk" queries (customer_segments.at_risk, whose rule the
 * model states). Every query filters on at_risk rather than counting a subgroup of a larger row,
 * so the customers each row describes are the at-risk ones, and small groups are suppressed.
 */
export const AT_RISK = 'customer_segments.at_risk';
export const AT_RISK_MEASURES = ['customer_segments.segment_size', 'customer_segments.predicted_clv_total'];
const atRiskOnly = [{ member: AT_RISK, operator: 'equals' as const, values: ['true'] }];

/** At-risk members and their predicted CLV per value of a segment dimension (RFM segment, tier…). */
export function atRiskByQuery(dimension: string): Query {
  return { measures: AT_RISK_MEASURES, dimensions: [dimension], filters: atRiskOnly, order: { [dimension]: 'asc' } };
}

/** The same figures for the tenant as a whole. */
export function atRiskTotalQuery(): Query {
  return { measures: AT_RISK_MEASURES, filters: atRiskOnly };
}

/** Columns of the member list, highest predicted CLV first (personal data: shown to roles that have it). */
export const AT_RISK_LIST_COLUMNS = ['customer_id', 'name', 'rfm_segment', 'tier', 'member_predicted_clv', 'member_p_alive', 'last_order_at'].map((c) => `customer_segments.${c}`);

/** One page of the at-risk members (`limit` = all of them for an export). */
export function atRiskListQuery(columns: string[], page: number, pageSize: number): Query {
  return {
    dimensions: columns,
    filters: atRiskOnly,
    order: [
      ['customer_segments.member_predicted_clv', 'desc'],
      ['customer_segments.customer_id', 'asc'],
    ],
    limit: pageSize,
    offset: page * pageSize,
    total: true,
  };
}
