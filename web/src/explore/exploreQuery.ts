import type { Filter, Query } from '@cubejs-client/core';

/** The explorer's state, kept in the URL, and the Cube query it stands for. */
export interface ExploreState {
  view: string;
  measures: string[];
  dimensions: string[];
  granularity: string | null;
  filter: { member: string; operator: string; value: string } | null;
  chart: 'table' | 'bar' | 'line';
}

export const GRANULARITIES = ['day', 'week', 'month', 'quarter', 'year'];
export const OPERATORS = ['equals', 'notEquals', 'contains', 'gt', 'lt', 'set', 'notSet'];

export function exploreQuery(state: ExploreState, timeDimension: string | undefined): Query | null {
  if (!state.measures.length && !state.dimensions.length) return null;
  const { filter } = state;
  return {
    measures: state.measures,
    dimensions: state.dimensions,
    timeDimensions: state.granularity && timeDimension ? [{ dimension: timeDimension, granularity: state.granularity as 'month' }] : [],
    filters: filter?.member ? [(['set', 'notSet'].includes(filter.operator) ? { member: filter.member, operator: filter.operator } : { member: filter.member, operator: filter.operator, values: [filter.value] }) as Filter] : [],
    limit: 1000,
  };
}

export function readExploreState(params: URLSearchParams): ExploreState {
  const list = (key: string) => (params.get(key) ?? '').split(',').filter(Boolean);
  const [member, operator, value] = (params.get('filter') ?? '').split('~');
  return {
    view: params.get('view') ?? '',
    measures: list('measures'),
    dimensions: list('dimensions'),
    granularity: params.get('granularity'),
    filter: member ? { member, operator: operator || 'equals', value: value ?? '' } : null,
    chart: (['table', 'bar', 'line'].includes(params.get('chart') ?? '') ? params.get('chart') : 'table') as ExploreState['chart'],
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
