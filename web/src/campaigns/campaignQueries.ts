import type { Query, ResultSet } from '@cubejs-client/core';

/** Pure builders of the campaign page's queries (view campaign_performance), and the members they read. */
export const P = 'campaign_performance.';

/** A campaign_performance member's full name. */
export const m = (name: string) => P + name;

/** The lift figures in the order the tables show them (short names). */
export const LIFT_FIGURES = [
  'treated_members',
  'control_members',
  'treated_conversions',
  'control_conversions',
  'treatment_conversion',
  'control_conversion',
  'lift_difference',
  'campaign_lift',
  'lift_relative_ci_low',
  'lift_relative_ci_high',
];

export const LIFT_MEASURES = [...LIFT_FIGURES, 'lift_sample_sufficient', 'incremental_revenue_per_treated'].map(m);

export function campaignListQuery(): Query {
  return {
    measures: LIFT_MEASURES,
    dimensions: [m('campaigns_campaign_id'), m('campaigns_name'), m('campaigns_channel'), m('campaigns_objective')],
    timeDimensions: [{ dimension: m('campaigns_start_date'), granularity: 'day' }],
    order: { [m('campaigns_start_date')]: 'desc' },
    limit: 500,
  };
}

export function liftBySegmentQuery(campaignId: string, segmentDimension: string): Query {
  return {
    measures: LIFT_MEASURES,
    dimensions: [segmentDimension],
    filters: [{ member: m('campaigns_campaign_id'), operator: 'equals', values: [campaignId] }],
    order: { [segmentDimension]: 'asc' },
  };
}

export type Row = Record<string, string | null>;

/**
 * A result's rows as the API sent them. Not `tablePivot()`: it turns a null measure into 0, so an
 * undefined lift (no control conversions) read "0.0 %".
 */
export function rowsOf(resultSet: ResultSet | null): Row[] {
  return (resultSet?.rawData() ?? []) as Row[];
}

/**
 * The result only if it answers a query by `dimension`: the data hook keeps the last result while
 * the next one loads, and rows of the previous breakdown (RFM while tier loads) must never stand
 * under the new one's name.
 */
export function resultBy(resultSet: ResultSet | null, dimension: string): ResultSet | null {
  return resultSet && (resultSet.query().dimensions ?? []).includes(dimension) ? resultSet : null;
}
