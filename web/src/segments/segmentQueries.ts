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

export type ContactChannel = 'email' | 'line';
export const CONTACT_CHANNELS: ContactChannel[] = ['email', 'line'];

/**
 * Each channel's contact list comes from a view whose rows are only the members reachable and
 * consenting on it (model/views/{email,line}_contacts.yml), so consent holds in the warehouse
 * query, whoever asks. Columns are what a delivery tool needs: the LINE list has no email.
 */
export const CONTACT_LISTS: Record<ContactChannel, { view: string; columns: string[] }> = {
  email: { view: 'email_contact_list', columns: ['customer_id', 'name', 'email'] },
  line: { view: 'line_contact_list', columns: ['customer_id', 'name'] },
};

const inView = (view: string, member: string) => `${view}.${member.split('.')[1]}`;

/** The contact list of one segment on one channel (personal data: PII roles only). */
export function contactListQuery(channel: ContactChannel, conditions: SegmentCondition[]): Query {
  const { view, columns } = CONTACT_LISTS[channel];
  return {
    dimensions: columns.map((c) => `${view}.${c}`),
    filters: conditionFilters(conditions.map((c) => ({ ...c, dimension: inView(view, c.dimension) }))),
    order: { [`${view}.customer_id`]: 'asc' },
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
  return {
    measures: ['tier_migration.members'],
    dimensions: ['tier_migration.from_date', 'tier_migration.to_date'],
    order: [
      ['tier_migration.from_date', 'asc'],
      ['tier_migration.to_date', 'asc'],
    ],
  };
}

/** One card of the comparison: a value of the chosen dimension, or the segment built from filters. */
export interface SegmentRow {
  key: string;
  /** The dimension value, or the built segment's condition values. */
  values: string[];
  conditions: SegmentCondition[];
  figures: Record<string, string | null>;
}

type ApiRow = Record<string, string | null>;

/** The built segment's conditions from the URL, where they live as f_<role>=value (f_region=Kanto&f_tier=gold). */
export function conditionsFromParams(dimensions: { name: string; role?: string }[], params: URLSearchParams): SegmentCondition[] {
  return dimensions.flatMap((d) => (params.get(`f_${d.role}`) ? [{ dimension: d.name, value: params.get(`f_${d.role}`)! }] : []));
}

/** The values a dimension takes (from `segmentValuesQuery` rows), largest segment first. */
export function dimensionValues(rows: ApiRow[], dimension: string): string[] {
  return rows.map((r) => r[dimension]).filter((v): v is string => !!v);
}

/** Comparison rows (one per value) and the built segment's row → the cards, built segment last. */
export function segmentRows(dimension: string, compared: ApiRow[], conditions: SegmentCondition[], built: ApiRow[]): SegmentRow[] {
  return [
    ...compared.filter((r) => r[dimension]).map((r) => ({ key: r[dimension]!, values: [r[dimension]!], conditions: [{ dimension, value: r[dimension]! }], figures: r })),
    ...built.map((r) => ({ key: 'built', values: conditions.map((c) => c.value), conditions, figures: r })),
  ];
}
