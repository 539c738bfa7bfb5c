import type { Query, ResultSet } from '@cubejs-client/core';
import { useMemo } from 'react';
import type { Catalog, CatalogMember } from '../data/catalog';
import { suppressedBelow } from '../data/suppression';
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
  /** The minimum group size when the value is hidden for describing too few customers. */
  suppressedBelow: number | null;
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
  const timeDimension = catalog.view(view)!.timeDimension!;
  const scopeOf = (v: string) => ({ tenantDimension: catalog.dimensionByRole(v, 'tenant')?.name ?? `${v}.tenant_id`, tenant });
  const previous = previousPeriod(period);
  const attainment = new Map(members.map((m) => [m.name, catalog.attainmentFor(m)]));
  const local = (m: CatalogMember) => attainment.get(m.name)?.view === view;
  // Flow KPIs and their same-view attainment are summed over the period; as-of KPIs (and their
  // attainment) are read from the monthly trend at the period's last month.
  const periodMeasures = [...members.filter((m) => !m.asOf), ...members.filter((m) => !m.asOf && local(m)).map((m) => attainment.get(m.name)!)].map((m) => m.name);
  const trendMeasures = [...members, ...members.filter((m) => m.asOf && local(m)).map((m) => attainment.get(m.name)!)].map((m) => m.name);
  const external = members.map((m) => attainment.get(m.name)).filter((a): a is CatalogMember => !!a && a.view !== view);
  const externalView = external[0]?.view;

  const queries = useMemo(() => {
    const forPeriod = (p: Period): Query | null => (periodMeasures.length ? { ...periodValueQuery(periodMeasures[0], timeDimension, p, scopeOf(view)), measures: periodMeasures } : null);
    const externalTime = externalView ? catalog.view(externalView)?.timeDimension : undefined;
    return {
      current: forPeriod(period),
      previous: forPeriod(previous),
      trend: monthlyQuery(trendMeasures, timeDimension, period.end, 13, scopeOf(view)),
      attainment: externalView && externalTime
        ? { ...periodValueQuery(external[0].name, externalTime, period, scopeOf(externalView)), measures: external.filter((a) => a.view === externalView).map((a) => a.name) }
        : null,
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [JSON.stringify([periodMeasures, trendMeasures, external.map((a) => a.name), period, tenant, timeDimension])]);

  const current = useCubeQuery(queries.current);
  const prior = useCubeQuery(queries.previous);
  const trend = useCubeQuery(queries.trend);
  const targets = useCubeQuery(queries.attainment);

  const figures: KpiFigure[] = useMemo(() => {
    const trendRows = (trend.resultSet?.tablePivot() ?? []) as Record<string, unknown>[];
    const monthKey = `${timeDimension}.month`;
    const at = (month: string, measure: string) => num(trendRows.find((r) => String(r[monthKey]).startsWith(month.slice(0, 7)))?.[measure]);
    const minGroupSize = suppressedBelow(current.resultSet);
    return members.map((m) => {
      const value = m.asOf ? at(period.end, m.name) : num(firstRow(current.resultSet)?.[m.name]);
      const prev = m.asOf ? at(previous.end, m.name) : num(firstRow(prior.resultSet)?.[m.name]);
      const a = attainment.get(m.name);
      const attained = !a ? null : a.view !== view ? num(firstRow(targets.resultSet)?.[a.name]) : m.asOf ? at(period.end, a.name) : num(firstRow(current.resultSet)?.[a.name]);
      return {
        kpi: m.kpi!,
        measure: m,
        value,
        previous: prev,
        change: relativeChange(value, prev),
        attainment: attained,
        trend: trendRows.map((r) => ({ month: String(r[monthKey]), value: num(r[m.name]) })),
        suppressedBelow: value === null ? minGroupSize : null,
      };
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current.resultSet, prior.resultSet, trend.resultSet, targets.resultSet, members, period.end, previous.end, timeDimension]);

  return {
    figures,
    isLoading: current.isLoading || prior.isLoading || trend.isLoading,
    error: current.error ?? prior.error ?? trend.error ?? targets.error,
  };
}
