import type { Query, ResultSet } from '@cubejs-client/core';
import { useMemo } from 'react';
import type { Catalog, CatalogMember } from '../data/catalog';
import { useCubeQuery } from '../data/useCubeQuery';
import { monthlyQuery, periodValueQuery, previousPeriod, relativeChange, type Period } from './boardQueries';

/** The executive KPIs of the board, in display order (DESIGN.md). */
export const BOARD_KPIS = ['revenue', 'active_customers', 'repeat_rate', 'historical_ltv', 'churn_rate', 'f2_conversion_90d', 'aov'] as const;

export interface KpiFigure {
  kpi: string;
  measure?: CatalogMember;
  value: number | null;
  previous: number | null;
  change: number | null;
  attainment: number | null;
  trend: { month: string; value: number | null }[];
  suppressed: boolean;
}

const num = (v: unknown) => (v === null || v === undefined || v === '' ? null : Number(v));

function firstRow(rs: ResultSet | null): Record<string, unknown> | undefined {
  return rs?.tablePivot()[0] as Record<string, unknown> | undefined;
}

/**
 * The board's data for one view: the current and previous period's values of its flow KPIs
 * (and their target attainment), and a 13-month trend that gives sparklines and the month-end
 * values of as-of KPIs. Three queries per view, whatever the number of tiles.
 */
export function useBoardView(catalog: Catalog, view: string, members: CatalogMember[], period: Period, tenant: string | null) {
  const v = catalog.view(view)!;
  const timeDimension = v.timeDimension!;
  const scope = { tenantDimension: catalog.dimensionByRole(view, 'tenant')?.name ?? `${view}.tenant_id`, tenant };
  const flow = members.filter((m) => !m.asOf);
  const attainments = flow.map((m) => catalog.attainmentFor(m)).filter((m): m is CatalogMember => !!m);
  const previous = previousPeriod(period);
  const periodMeasures = [...flow, ...attainments].map((m) => m.name);

  const queries = useMemo(() => {
    const forPeriod = (p: Period): Query | null => (periodMeasures.length ? { ...periodValueQuery(periodMeasures[0], timeDimension, p, scope), measures: periodMeasures } : null);
    return {
      current: forPeriod(period),
      previous: forPeriod(previous),
      trend: monthlyQuery(members.map((m) => m.name), timeDimension, period.end, 13, scope),
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [JSON.stringify([periodMeasures, members.map((m) => m.name), period, tenant, timeDimension])]);

  const current = useCubeQuery(queries.current);
  const prior = useCubeQuery(queries.previous);
  const trend = useCubeQuery(queries.trend);

  const figures: KpiFigure[] = useMemo(() => {
    const trendRows = (trend.resultSet?.tablePivot() ?? []) as Record<string, unknown>[];
    const monthKey = `${timeDimension}.month`;
    const at = (month: string, measure: string) => num(trendRows.find((r) => String(r[monthKey]).startsWith(month.slice(0, 7)))?.[measure]);
    const suppressedRows = ((current.resultSet as any)?.loadResponse?.results?.[0]?.suppressed ?? null) !== null;
    return members.map((m) => {
      const value = m.asOf ? at(period.end, m.name) : num(firstRow(current.resultSet)?.[m.name]);
      const prev = m.asOf ? at(previous.end, m.name) : num(firstRow(prior.resultSet)?.[m.name]);
      const attainmentMeasure = catalog.attainmentFor(m);
      return {
        kpi: m.kpi!,
        measure: m,
        value,
        previous: prev,
        change: relativeChange(value, prev),
        attainment: attainmentMeasure ? num(firstRow(current.resultSet)?.[attainmentMeasure.name]) : null,
        trend: trendRows.map((r) => ({ month: String(r[monthKey]), value: num(r[m.name]) })),
        suppressed: suppressedRows && value === null,
      };
    });
  }, [current.resultSet, prior.resultSet, trend.resultSet, members, catalog, period.end, previous.end, timeDimension]);

  return {
    figures,
    isLoading: current.isLoading || prior.isLoading || trend.isLoading,
    error: current.error ?? prior.error ?? trend.error,
  };
}
