import type { Query } from '@cubejs-client/core';
import { toNumber, type ValueFormat } from '../ui/format';
import type { Slice } from './slicing/cohortMatrixSql';

/** Pure builders of the cohort page's API queries. */
export type CohortMetric = 'retention' | 'revenue_retention' | 'cumulative_ltv';
export const COHORT_METRICS: CohortMetric[] = ['retention', 'revenue_retention', 'cumulative_ltv'];
/** How a metric reads, on the heat-map and in its CSV: retention rates as %, cumulative LTV as money. */
export const COHORT_FORMAT: Record<CohortMetric, ValueFormat> = { retention: 'percent', revenue_retention: 'percent', cumulative_ltv: 'currency' };

const MEASURE: Record<CohortMetric, string> = {
  retention: 'cohorts.cohort_retention',
  revenue_retention: 'cohorts.revenue_retention',
  cumulative_ltv: 'cohorts.cumulative_ltv',
};

const sliceFilters = (slice: Slice) =>
  Object.entries(slice)
    .filter(([, v]) => v)
    .map(([d, v]) => ({ member: `cohorts.${d}`, operator: 'equals' as const, values: [v as string] }));

/** The whole matrix, every metric, from the model (pre-aggregated). */
export function cohortMatrixQuery(): Query {
  return {
    measures: [...Object.values(MEASURE), 'cohorts.cohort_customers'],
    dimensions: ['cohorts.month_offset'],
    timeDimensions: [{ dimension: 'cohorts.cohort_month', granularity: 'month' }],
    order: [
      ['cohorts.cohort_month', 'asc'],
      ['cohorts.month_offset', 'asc'],
    ],
    limit: 50000,
  };
}

/** The members behind one cell: cohort month, month offset, active that month, and the slice. */
export function cellCustomersQuery(cohortMonth: string, offset: number, slice: Slice, columns: string[], page: number, pageSize = 20): Query {
  const last = new Date(Date.UTC(Number(cohortMonth.slice(0, 4)), Number(cohortMonth.slice(5, 7)), 0)).toISOString().slice(0, 10);
  return {
    dimensions: ['cohorts.customer_id', ...columns],
    timeDimensions: [{ dimension: 'cohorts.cohort_month', dateRange: [cohortMonth.slice(0, 10), last] }],
    filters: [{ member: 'cohorts.month_offset', operator: 'equals', values: [String(offset)] }, { member: 'cohorts.is_active', operator: 'equals', values: ['true'] }, ...sliceFilters(slice)],
    order: { 'cohorts.customer_id': 'asc' },
    limit: pageSize,
    offset: page * pageSize,
    total: true,
  };
}

/** The calendar month (YYYY-MM) a cell counts activity in: its cohort month plus its offset. */
export function activityMonth(cell: Pick<MatrixCell, 'cohort_month' | 'month_offset'>): string {
  const d = new Date(`${cell.cohort_month.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + cell.month_offset);
  return d.toISOString().slice(0, 7);
}

export interface MatrixCell {
  cohort_month: string;
  month_offset: number;
  /** Null when the cohort is too small to show. */
  members: number | null;
  retention: number | null;
  revenue_retention: number | null;
  cumulative_ltv: number | null;
  /** The minimum group size when this cell is hidden for describing fewer members. */
  suppressedBelow: number | null;
  /** The minimum group size when the answer withheld figures: a null figure of this cell drew on fewer customers. */
  figuresBelow: number | null;
}

/** The minimum to show as "< N" in place of a cell's figure: its cohort is too small, or this figure drew on too few customers. */
export function hiddenBelow(cell: MatrixCell | undefined, key: CohortMetric | 'members'): number | null {
  if (!cell) return null;
  if (cell.suppressedBelow) return cell.suppressedBelow;
  return cell.figuresBelow && cell[key] === null ? cell.figuresBelow : null;
}

/** API rows → cells (the same shape the DuckDB-WASM slice returns); `minGroupSize` when the answer hid small cohorts. */
export function cellsFromApi(rows: Record<string, unknown>[], minGroupSize: number | null): MatrixCell[] {
  return rows.map((r) => ({
    cohort_month: String(r['cohorts.cohort_month.month']).slice(0, 10),
    month_offset: Number(r['cohorts.month_offset']),
    members: toNumber(r['cohorts.cohort_customers']),
    suppressedBelow: minGroupSize !== null && r['cohorts.cohort_customers'] === null ? minGroupSize : null,
    figuresBelow: minGroupSize,
    retention: toNumber(r[MEASURE.retention]),
    revenue_retention: toNumber(r[MEASURE.revenue_retention]),
    cumulative_ltv: toNumber(r[MEASURE.cumulative_ltv]),
  }));
}

/**
 * The cells the heat-map shows: with a slice, the slice's own matrix once computed (null until
 * then, so a shared sliced URL never shows the unsliced matrix meanwhile); without, the API's
 * (null until loaded). An empty list means there is no data to show.
 */
export function cellsToShow(sliced: boolean, slicedCells: MatrixCell[] | null, apiCells: MatrixCell[] | null): MatrixCell[] | null {
  return sliced ? slicedCells : apiCells;
}
