import { useMemo, useState } from 'react';
import type { Catalog } from '../data/catalog';
import { useDataCoverage } from '../data/dataCoverage';
import { rowTotal } from '../data/rowTotal';
import { suppressedBelow } from '../data/suppression';
import { useCubeQuery } from '../data/useCubeQuery';
import { CUSTOMER_360_MEMBER } from '../customer/customerQueries';
import { lastDayMember } from '../board/boardMembers';
import { lastDayOf, lastDayQuery } from '../board/boardQueries';
import { partialMonthOf } from '../board/PartialMonth';
import { cellCustomersQuery, cellsFromApi, cellsToShow, cohortMatrixQuery, COHORT_METRICS, type CohortMetric, type MatrixCell } from './cohortQueries';
import { SLICE_DIMENSIONS, type Slice, type SliceDimension } from './slicing/cohortMatrixSql';
import { useCohortSlice } from './useCohortSlice';

export const DRILL_PAGE_SIZE = 20;
const DRILL_COLUMNS = ['cohorts.name', 'cohorts.email', 'cohorts.tier', 'cohorts.region', 'cohorts.order_count', 'cohorts.lifetime_revenue'];

/** A heat-map cell: the cohort (first-order month) and the months since. */
export interface CohortCell {
  cohort: string;
  offset: number;
}

/**
 * The cohort page's state: the metric, slice and cell picked (kept in the URL), the matrix
 * (from the API, or from DuckDB-WASM once a slice is picked) and the picked cell's members,
 * one page at a time. CohortsPage and its cards only render what this gives.
 */
export function useCohorts(catalog: Catalog, params: URLSearchParams, setParams: (set: Record<string, string | null>) => void) {
  const metric = (COHORT_METRICS.includes(params.get('metric') as CohortMetric) ? params.get('metric') : 'retention') as CohortMetric;
  const slice: Slice = Object.fromEntries(SLICE_DIMENSIONS.map((d) => [d, params.get(d) ?? undefined]).filter(([, v]) => v));
  const [cohort, offset] = (params.get('cell') ?? '').split('|');
  const selected: CohortCell | null = params.get('cell') ? { cohort, offset: Number(offset) } : null;
  const [page, setPage] = useState(0);
  // A tenant without tier records (an import) has every member at "no tier": no tier slice.
  const noTiers = useDataCoverage(!!catalog.view('data_coverage'))?.tiers === false;
  const sliceDimensions = SLICE_DIMENSIONS.filter((d) => !(noTiers && d === 'tier'));

  const matrix = useCubeQuery(useMemo(cohortMatrixQuery, []));
  // The month the data end inside of (the model's last day with data, over the tenants the user sees): its cells are marked.
  const lastDay = lastDayMember(catalog);
  const last = useCubeQuery(lastDay ? lastDayQuery(lastDay.name) : null);
  const partial = partialMonthOf(lastDay ? lastDayOf((last.resultSet?.rawData() ?? []) as Record<string, unknown>[], lastDay.name) : null);
  const sliced = useCohortSlice(slice);
  const apiCells = matrix.resultSet ? cellsFromApi(matrix.resultSet.tablePivot() as Record<string, unknown>[], suppressedBelow(matrix.resultSet)) : null;
  // Null while neither the API's matrix nor the slice's has come.
  const shownCells = cellsToShow(Object.values(slice).some(Boolean), sliced.cells, apiCells);
  const cells: MatrixCell[] = shownCells ?? [];

  // Only the columns the role may see are in the catalog: personal data never is for others.
  const columns = ['cohorts.customer_id', ...DRILL_COLUMNS.filter((n) => !(noTiers && n === 'cohorts.tier'))].map((n) => catalog.member(n)).filter((c) => c !== undefined);
  // A cell's members are a list filtered on what they did (active in that month): the server
  // gives one only to roles that see personal data, the roles Customer 360 is for (its member
  // is in their catalog). Other roles get a note in place of the list, and no request for it.
  const listsMembers = !!catalog.member(CUSTOMER_360_MEMBER);
  const drillColumns = columns.slice(1).map((c) => c.name);
  const drill = useCubeQuery(selected && listsMembers ? cellCustomersQuery(selected.cohort, selected.offset, slice, drillColumns, page, DRILL_PAGE_SIZE) : null);

  return {
    metric,
    slice,
    selected,
    noTiers,
    sliceDimensions,
    matrix,
    sliced,
    shownCells,
    cells,
    listsMembers,
    partial,
    drill: { ...drill, columns, rows: (drill.resultSet?.tablePivot() ?? []) as Record<string, unknown>[], total: rowTotal(drill.resultSet), page, setPage },
    pickMetric: (m: CohortMetric) => setParams({ metric: m }),
    // Another slice or cell starts the members' list at its first page.
    pickSlice: (d: SliceDimension, value: string) => {
      setPage(0);
      setParams({ [d]: value || null, cell: null });
    },
    pickCell: (c: MatrixCell) => {
      setPage(0);
      setParams({ cell: `${c.cohort_month}|${c.month_offset}` });
    },
  };
}

export type CohortsState = ReturnType<typeof useCohorts>;
