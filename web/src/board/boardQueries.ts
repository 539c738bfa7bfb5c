import type { Query } from '@cubejs-client/core';
import type { Catalog, CatalogMember } from '../data/catalog';

/** Pure builders of the board's Cube queries (tested in test/web/boardQueries.test.ts). */
export type PeriodKind = 'month' | 'quarter' | 'year' | 'custom';

export interface Period {
  kind: PeriodKind;
  /** Inclusive ISO dates. */
  start: string;
  end: string;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const utc = (text: string) => new Date(`${text}T00:00:00Z`);
const addMonths = (d: Date, n: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
const lastDayOfMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
const MONTHS: Record<Exclude<PeriodKind, 'custom'>, number> = { month: 1, quarter: 3, year: 12 };

/** The calendar month, quarter or year that contains `date` (the last day with data), up to that day. */
export function periodContaining(kind: Exclude<PeriodKind, 'custom'>, date: string): Period {
  const d = utc(date);
  const startMonth = kind === 'month' ? d.getUTCMonth() : kind === 'quarter' ? d.getUTCMonth() - (d.getUTCMonth() % 3) : 0;
  return { kind, start: iso(new Date(Date.UTC(d.getUTCFullYear(), startMonth, 1))), end: date };
}

/** The period the board shows: a calendar period up to the last day with data, or the custom dates (default: this quarter so far). */
export function boardPeriod(kind: PeriodKind, lastDay: string, from: string | null, to: string | null): Period {
  if (kind !== 'custom') return periodContaining(kind, lastDay);
  return { kind, start: from ?? periodContaining('quarter', lastDay).start, end: to ?? lastDay };
}

/**
 * Why a custom period cannot be shown, or null: its start is after its end, or it starts after
 * the last day with data (its figures would read ¥0 and 0.0 % instead of "no data").
 */
export function customPeriodProblem(period: Period, lastDay: string): 'fromAfterTo' | 'afterData' | null {
  if (period.kind !== 'custom') return null;
  if (period.start > period.end) return 'fromAfterTo';
  if (period.start > lastDay) return 'afterData';
  return null;
}

/** The period just before: the previous month/quarter/year to the same day, or as many days before. */
export function previousPeriod(period: Period): Period {
  if (period.kind === 'custom') {
    const days = Math.round((utc(period.end).getTime() - utc(period.start).getTime()) / 86_400_000) + 1;
    const end = new Date(utc(period.start).getTime() - 86_400_000);
    return { kind: 'custom', start: iso(new Date(end.getTime() - (days - 1) * 86_400_000)), end: iso(end) };
  }
  const months = MONTHS[period.kind];
  const start = addMonths(utc(period.start), -months);
  const endMonth = addMonths(utc(period.end), -months);
  const end = new Date(Math.min(lastDayOfMonth(endMonth).getTime(), Date.UTC(endMonth.getUTCFullYear(), endMonth.getUTCMonth(), utc(period.end).getUTCDate())));
  return { kind: period.kind, start: iso(start), end: iso(end) };
}

export interface Scope {
  /** The view's tenant dimension and the tenant picked, when the user may see several. */
  tenantDimension?: string;
  tenant?: string | null;
}

function scopeFilters({ tenantDimension, tenant }: Scope): Query['filters'] {
  return tenantDimension && tenant ? [{ member: tenantDimension, operator: 'equals', values: [tenant] }] : [];
}

/** Measures over one period (flow KPIs: revenue, orders, active customers…). */
export function periodValueQuery(measures: string | string[], timeDimension: string, period: Period, scope: Scope): Query {
  return { measures: [measures].flat(), timeDimensions: [{ dimension: timeDimension, dateRange: [period.start, period.end] }], filters: scopeFilters(scope) };
}

/** Measures by month over the `months` months ending with `end`'s month: sparklines, as-of KPIs, trend charts. */
export function monthlyQuery(measures: string[], timeDimension: string, end: string, months: number, scope: Scope, dimensions: string[] = []): Query {
  const first = iso(addMonths(utc(end), -(months - 1)));
  return {
    measures,
    dimensions,
    timeDimensions: [{ dimension: timeDimension, granularity: 'month', dateRange: [first, end] }],
    filters: scopeFilters(scope),
    order: [[timeDimension, 'asc']],
  };
}

/** One measure split by a dimension over a period (revenue by channel, by region), with the dimension's label columns if any. */
export function breakdownQuery(measure: string, dimension: string, timeDimension: string, period: Period, scope: Scope, labels: string[] = []): Query {
  return {
    measures: [measure],
    dimensions: [dimension, ...labels],
    timeDimensions: [{ dimension: timeDimension, dateRange: [period.start, period.end] }],
    filters: scopeFilters(scope),
    order: { [measure]: 'desc' },
  };
}

/** The last day with data in a view: the latest month bucket of its time dimension. */
export function lastMonthQuery(measure: string, timeDimension: string): Query {
  return { measures: [measure], timeDimensions: [{ dimension: timeDimension, granularity: 'day' }], order: [[timeDimension, 'desc']], limit: 1 };
}

/** The last day with data, from lastMonthQuery's answer (an ISO date), or null before it comes. */
export function lastDayOf(rows: Record<string, unknown>[], timeDimension: string): string | null {
  const day = rows[0]?.[`${timeDimension}.day`];
  return typeof day === 'string' ? day.slice(0, 10) : null;
}

/** The tenants a multi-tenant user can pick, with their names. */
export function tenantsQuery(measure: string, tenantDimension: string, tenantName?: string): Query {
  return { measures: [measure], dimensions: [tenantDimension, ...(tenantName ? [tenantName] : [])], order: { [tenantDimension]: 'asc' } };
}

/**
 * What one view's tiles ask: its flow KPIs (and their attainment kept in the same view) over the
 * period and the previous one, a 13-month trend (sparklines, and as-of KPIs read at month end with
 * their attainment), and attainment kept in another view over the period.
 */
export interface ViewQueries {
  current: Query | null;
  previous: Query | null;
  trend: Query;
  attainment: Query | null;
}

/** The tenant scope of a view: its `meta.role: tenant` dimension. */
export function scopeIn(catalog: Catalog, view: string, tenant: string | null): Scope {
  return { tenantDimension: catalog.dimensionByRole(view, 'tenant')?.name, tenant };
}

export function viewQueries(catalog: Catalog, view: string, members: CatalogMember[], period: Period, tenant: string | null): ViewQueries {
  const timeDimension = catalog.view(view)!.timeDimension!;
  const scope = scopeIn(catalog, view, tenant);
  const sameView = members.filter((m) => catalog.attainmentFor(m)?.view === view);
  const periodMeasures = [...members.filter((m) => !m.asOf), ...sameView.filter((m) => !m.asOf).map((m) => catalog.attainmentFor(m)!)].map((m) => m.name);
  const trendMeasures = [...members, ...sameView.filter((m) => m.asOf).map((m) => catalog.attainmentFor(m)!)].map((m) => m.name);
  const external = members.map((m) => catalog.attainmentFor(m)).filter((a): a is CatalogMember => !!a && a.view !== view);
  // Attainment kept elsewhere comes from one other view (the targets view); one query for it.
  const targetsView = external[0]?.view;
  const targetsTime = targetsView ? catalog.view(targetsView)?.timeDimension : undefined;
  const forPeriod = (p: Period) => (periodMeasures.length ? periodValueQuery(periodMeasures, timeDimension, p, scope) : null);
  return {
    current: forPeriod(period),
    previous: forPeriod(previousPeriod(period)),
    trend: monthlyQuery(trendMeasures, timeDimension, period.end, 13, scope),
    attainment:
      targetsView && targetsTime
        ? periodValueQuery(
            external.filter((a) => a.view === targetsView).map((a) => a.name),
            targetsTime,
            period,
            scopeIn(catalog, targetsView, tenant),
          )
        : null,
  };
}

/** Relative change of a figure against the previous period, for the "vs previous" badge. */
export function relativeChange(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}
