import type { Query } from '@cubejs-client/core';

/** Pure builders of the campaign page's queries (view campaign_performance). */
export const LIFT_MEASURES = [
  'campaign_performance.treated_members', 'campaign_performance.control_members',
  'campaign_performance.treatment_conversion', 'campaign_performance.control_conversion',
  'campaign_performance.campaign_lift', 'campaign_performance.lift_difference', 'campaign_performance.lift_ci_low', 'campaign_performance.lift_ci_high',
  'campaign_performance.incremental_conversions', 'campaign_performance.incremental_revenue_per_treated',
];

export function campaignListQuery(): Query {
  return {
    measures: LIFT_MEASURES,
    dimensions: ['campaign_performance.campaigns_campaign_id', 'campaign_performance.campaigns_name', 'campaign_performance.campaigns_channel', 'campaign_performance.campaigns_objective'],
    timeDimensions: [{ dimension: 'campaign_performance.campaigns_start_date', granularity: 'day' }],
    order: { 'campaign_performance.campaigns_start_date': 'desc' },
    limit: 500,
  };
}

export function liftBySegmentQuery(campaignId: string, segmentDimension: string): Query {
  return {
    measures: LIFT_MEASURES,
    dimensions: [segmentDimension],
    filters: [{ member: 'campaign_performance.campaigns_campaign_id', operator: 'equals', values: [campaignId] }],
    order: { [segmentDimension]: 'asc' },
  };
}
