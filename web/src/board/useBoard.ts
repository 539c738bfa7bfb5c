import type { ResultSet } from '@cubejs-client/core';
import type { Catalog, CatalogMember } from '../data/catalog';
import { suppressedBelow } from '../data/suppression';
import { useCubeQuery } from '../data/useCubeQuery';
import { viewQueries, type Period } from './boardQueries';
import { kpiFigures } from './boardSeries';

const firstRow = (rs: ResultSet | null) => rs?.tablePivot()[0] as Record<string, unknown> | undefined;

/**
 * The board's figures for the KPIs of one view: four queries per view, whatever the number of
 * tiles. useCubeQuery keeps a previous answer while the next loads, so a component using this
 * must be mounted per period and tenant (BoardPage keys it): its answers then always belong to
 * the period it shows, and it shows skeletons until they come.
 */
export function useBoardView(catalog: Catalog, view: string, members: CatalogMember[], period: Period, tenant: string | null) {
  const queries = viewQueries(catalog, view, members, period, tenant);
  const current = useCubeQuery(queries.current);
  const previous = useCubeQuery(queries.previous);
  const trend = useCubeQuery(queries.trend);
  const targets = useCubeQuery(queries.attainment);
  const figures = kpiFigures(catalog, view, members, period, {
    current: firstRow(current.resultSet),
    previous: firstRow(previous.resultSet),
    trend: (trend.resultSet?.tablePivot() ?? []) as Record<string, unknown>[],
    targets: firstRow(targets.resultSet),
    minGroupSize: suppressedBelow(current.resultSet),
  });
  return {
    figures,
    isLoading: current.isLoading || previous.isLoading || trend.isLoading || targets.isLoading,
    error: current.error ?? previous.error ?? trend.error ?? targets.error,
  };
}
