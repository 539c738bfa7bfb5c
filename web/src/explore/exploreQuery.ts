import type { Filter, Query } from '@cubejs-client/core';
import type { CatalogView } from '../data/catalog';

/** The explorer's state, kept in the URL, and the Cube query it stands for. */
export interface ExploreState {
  view: string;
  measures: string[];
  dimensions: string[];
  granularity: string | null;
  filter: { member: string; operator: string; value: string } | null;
  chart: 'table' | 'bar' | 'line';
}

export const GRANULARITIES = ['day', 'week', 'month', 'quarter', 'year'] as const;
export const OPERATORS = ['equals', 'notEquals', 'contains', 'gt', 'lt', 'set', 'notSet'] as const;
export const CHARTS: ExploreState['chart'][] = ['table', 'bar', 'line'];

/** Rows one query may return: enough for 10 years by day, or months × hundreds of values; the page says when a result reaches it. */
export const ROW_LIMIT = 5000;

/** Buckets that hold at most one month-end snapshot: the API refuses coarser ones (cube/policy/snapshots.ts). */
const WITHIN_A_MONTH = new Set(['day', 'week', 'month']);

/** What the explorer asks and how to read the answer. */
export interface ExplorePlan {
  query: Query;
  /** The time axis as queried, and the row key of its buckets (`view.dimension.granularity`). */
  time: { dimension: string; granularity: string; key: string } | null;
  /** Month-end snapshot measures are read month by month, whatever granularity (or none) was picked. */
  snapshotMonthly: boolean;
}

/**
 * The query for the explorer's state over a view, or null when nothing is picked. Snapshot
 * measures (`meta.snapshot: month`: members to date, repeat rate…) cannot be summed over
 * months, so with one of them the query groups by the snapshot's month whenever no
 * granularity, or one coarser than a month, was picked.
 */
export function explorePlan(state: ExploreState, view: CatalogView): ExplorePlan | null {
  if (!state.measures.length && !state.dimensions.length) return null;
  const snapshot = view.measures.some((m) => m.snapshot && state.measures.includes(m.name));
  const snapshotAxis = snapshot ? view.dimensions.find((d) => d.type === 'time' && d.snapshot === 'month')?.name : undefined;
  const dimension = snapshotAxis ?? view.timeDimension;
  const snapshotMonthly = !!snapshotAxis && !WITHIN_A_MONTH.has(state.granularity ?? '');
  const granularity = snapshotMonthly ? 'month' : state.granularity;
  const time = dimension && granularity ? { dimension, granularity, key: `${dimension}.${granularity}` } : null;
  const { filter } = state;
  return {
    query: {
      measures: state.measures,
      dimensions: state.dimensions,
      timeDimensions: time ? [{ dimension: time.dimension, granularity: time.granularity as 'month' }] : [],
      // Buckets in time order, so the chart's x axis runs forwards.
      ...(time ? { order: { [time.dimension]: 'asc' as const } } : {}),
      filters: filter?.member
        ? [
            (['set', 'notSet'].includes(filter.operator)
              ? { member: filter.member, operator: filter.operator }
              : { member: filter.member, operator: filter.operator, values: [filter.value] }) as Filter,
          ]
        : [],
      limit: ROW_LIMIT,
    },
    time,
    snapshotMonthly,
  };
}

export function readExploreState(params: URLSearchParams): ExploreState {
  const list = (key: string) => (params.get(key) ?? '').split(',').filter(Boolean);
  const [member, operator, value] = (params.get('filter') ?? '').split('~');
  const chart = params.get('chart') as ExploreState['chart'];
  return {
    view: params.get('view') ?? '',
    measures: list('measures'),
    dimensions: list('dimensions'),
    granularity: params.get('granularity'),
    filter: member ? { member, operator: operator || 'equals', value: value ?? '' } : null,
    chart: CHARTS.includes(chart) ? chart : 'table',
  };
}

export function writeExploreState(state: Partial<ExploreState>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (state.view !== undefined) out.view = state.view || null;
  if (state.measures) out.measures = state.measures.join(',') || null;
  if (state.dimensions) out.dimensions = state.dimensions.join(',') || null;
  if (state.granularity !== undefined) out.granularity = state.granularity;
  if (state.filter !== undefined) out.filter = state.filter ? `${state.filter.member}~${state.filter.operator}~${state.filter.value}` : null;
  if (state.chart) out.chart = state.chart;
  return out;
}

/**
 * The picked measures grouped by unit (`meta.format`), in the order picked: one chart per
 * group, so active customers are never drawn on a ¥ axis beside revenue (a flat line at ¥0).
 */
export function measuresByUnit(measures: string[], formatOf: (measure: string) => string): string[][] {
  const groups = new Map<string, string[]>();
  for (const m of measures) groups.set(formatOf(m), [...(groups.get(formatOf(m)) ?? []), m]);
  return [...groups.values()];
}
