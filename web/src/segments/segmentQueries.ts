import type { Query } from '@cubejs-client/core';

/** Pure builders of the segment page's queries (views customer_segments, tier_migration). */
export const COMPARE_MEASURES = ['segment_size', 'repeat_rate', 'historical_ltv', 'churn_rate', 'member_aov', 'frequency'].map((m) => `customer_segments.${m}`);

/** One condition of a segment built from filters: a customer attribute equals a value. */
export interface SegmentCondition {
  dimension: string;
  value: string;
}

const conditionFilters = (conditions: SegmentCondition[]) => conditions.map((c) => ({ member: c.dimension, operator: 'equals' as const, values: [c.value] }));

/** The comparison figures of several values of one dimension, a row each. */
export function compareQuery(dimension: string, values: string[]): Query {
  return {
    measures: COMPARE_MEASURES,
    dimensions: [dimension],
    filters: values.length ? [{ member: dimension, operator: 'equals', values }] : [],
    order: { [dimension]: 'asc' },
  };
}

/** The same figures for one segment built from filters (all conditions hold), as one row. */
export function builtSegmentQuery(conditions: SegmentCondition[]): Query {
  return { measures: COMPARE_MEASURES, filters: conditionFilters(conditions) };
}

export function segmentValuesQuery(dimension: string): Query {
  return { measures: ['customer_segments.segment_size'], dimensions: [dimension], order: { 'customer_segments.segment_size': 'desc' } };
}

/** The contact list of one segment, for an email, LINE or coupon tool (personal data: PII roles only). */
export function contactListQuery(conditions: SegmentCondition[], contactColumns: string[]): Query {
  return {
    dimensions: ['customer_segments.customer_id', ...contactColumns],
    filters: conditionFilters(conditions),
    order: { 'customer_segments.customer_id': 'asc' },
    limit: 100000,
  };
}

/** The from-tier x to-tier matrix between two 1 January points (ISO dates). */
export function tierMigrationQuery(from: string, to: string): Query {
  return {
    measures: ['tier_migration.members'],
    dimensions: ['tier_migration.from_tier', 'tier_migration.to_tier'],
    timeDimensions: [{ dimension: 'tier_migration.from_date', dateRange: [from, from] }],
    filters: [{ member: 'tier_migration.to_date', operator: 'inDateRange', values: [to, to] }],
  };
}

/** The pairs of points the migration can be read between (those with members). */
export function tierMigrationPointsQuery(): Query {
  return { measures: ['tier_migration.members'], dimensions: ['tier_migration.from_date', 'tier_migration.to_date'], order: [['tier_migration.from_date', 'asc'], ['tier_migration.to_date', 'asc']] };
}
