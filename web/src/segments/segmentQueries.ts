import type { Query } from '@cubejs-client/core';

/** Pure builders of the segment page's queries (views customer_segments, tier_migration). */
export const COMPARE_MEASURES = ['segment_size', 'repeat_rate', 'historical_ltv', 'churn_rate', 'member_aov', 'frequency'].map((m) => `customer_segments.${m}`);

export function compareQuery(dimension: string, values: string[]): Query {
  return {
    measures: COMPARE_MEASURES,
    dimensions: [dimension],
    filters: values.length ? [{ member: dimension, operator: 'equals', values }] : [],
    order: { [dimension]: 'asc' },
  };
}

export function segmentValuesQuery(dimension: string): Query {
  return { measures: ['customer_segments.segment_size'], dimensions: [dimension], order: { 'customer_segments.segment_size': 'desc' } };
}

/** The contact list of one segment, for an email, LINE or coupon tool (personal data: PII roles only). */
export function contactListQuery(dimension: string, value: string, contactColumns: string[]): Query {
  return {
    dimensions: ['customer_segments.customer_id', ...contactColumns],
    filters: [{ member: dimension, operator: 'equals', values: [value] }],
    order: { 'customer_segments.customer_id': 'asc' },
    limit: 100000,
  };
}

export function tierMigrationQuery(year: string): Query {
  return {
    measures: ['tier_migration.members'],
    dimensions: ['tier_migration.from_tier', 'tier_migration.to_tier'],
    timeDimensions: [{ dimension: 'tier_migration.year', dateRange: [`${year}-01-01`, `${year}-12-31`] }],
  };
}
