import type { ResultSet } from '@cubejs-client/core';
import type { Catalog, CatalogMember } from '../data/catalog';
import { suppressedBelow } from '../data/suppression';
import { useCubeQuery } from '../data/useCubeQuery';
import { viewQueries, type Period } from './boardQueries';
import { kpiFigures } from './boardSeries';

// rawData, not tablePivot: tablePivot turns a missing figure (no target set) into 0.
const firstRow = (rs: ResultSet | null) => rs?.rawData()[0] as Record<string, unknown> | undefined;

/**
 * The board's figures for the KPIs of one view: four queries per view, whatever the number of
 * tiles. useCubeQuery keeps a previous answer while the next loads, so a component using this
 * must be mounted per period and tenant (BoardPage keys it): its answers then always belong to
 * the period it shows, and it shows skeletons until they come.
 */
export function useBoardView(catalog: Catalog, view: string, members: CatalogMember[], period: Period, tenant: string | null, fiscalStartMonth: number | null = null) {
  const queries = viewQueries(catalog, view, members, period, tenant, fiscalStartMonth);
  const current = useCubeQuery(queries.current);
  const previous = useCubeQuery(queries.previous);
  const lastYear = useCubeQuery(queries.lastYear);
  const trend = useCubeQuery(queries.trend);
  const targets = useCubeQuery(queries.attainment);
  const targetsYearToDate = useCubeQuery(queries.attainmentYearToDate);
  const all = [current, previous, lastYear, trend, targets, targetsYearToDate];
  const figures = kpiFigures(catalog, view, members, period, {
    current: firstRow(current.resultSet),
    previous: firstRow(previous.resultSet),
    lastYear: firstRow(lastYear.resultSet),
    trend: (trend.resultSet?.rawData() ?? []) as Record<string, unknown>[],
    targets: firstRow(targets.resultSet),
    targetsYearToDate: firstRow(targetsYearToDate.resultSet),
    minGroupSize: suppressedBelow(current.resultSet),
  });
  return {
    figures,
    isLoading: all.some((q) => q.isLoading),
    error: all.find((q) => q.error)?.error ?? null,
  };
}
