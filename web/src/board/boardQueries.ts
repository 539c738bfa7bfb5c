import type { Query } from '@cubejs-client/core';
import type { Catalog, CatalogMember } from '../data/catalog';
import { tenantsQuery } from '../data/tenantsQuery';
import type { ValueFormat } from '../ui/format';

/** Pure builders of the board's Cube queries (tested in test/web/boardQueries.test.ts). */
export type PeriodKind = 'month' | 'quarter' | 'year' | 'fiscal_quarter' | 'fiscal_half' | 'fiscal_year' | 'custom';
type CalendarKind = Exclude<PeriodKind, 'custom'>;

export interface Period {
  kind: PeriodKind;
  /** Inclusive ISO dates. */
  start: string;
  end: string;
}

/** Which comparison a tile leads with: the same period last year (前年同期比) or the period before (前期比). */
export type Comparison = 'yoy' | 'previous';

const iso = (d: Date) => d.toISOString().slice(0, 10);
const utc = (text: string) => new Date(`${text}T00:00:00Z`);
const addMonths = (d: Date, n: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
const lastDayOfMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
const MONTHS: Record<CalendarKind, number> = { month: 1, quarter: 3, year: 12, fiscal_quarter: 3, fiscal_half: 6, fiscal_year: 12 };

export const isFiscal = (kind: PeriodKind) => kind.startsWith('fiscal_');

/**
 * The month, quarter, half or year that contains `date` (the last day with data), up to that day.
 * Calendar kinds start in January; fiscal kinds count from `fiscalStartMonth` (1-12; 4 = April).
 */
export function periodContaining(kind: CalendarKind, date: string, fiscalStartMonth = 1): Period {
  const d = utc(date);
  const origin = isFiscal(kind) ? fiscalStartMonth - 1 : 0;
  // Months since the year's first month (0-11), rounded down to the period's length.
  const into = (d.getUTCMonth() - origin + 12) % 12;
  const startMonth = d.getUTCMonth() - (into % MONTHS[kind]);
  return { kind, start: iso(new Date(Date.UTC(d.getUTCFullYear(), startMonth, 1))), end: date };
}

/** The fiscal year holding `date`, named by the calendar year it starts in (2026年度 = April 2026 to March 2027). */
export function fiscalYearOf(date: string, fiscalStartMonth: number): number {
  const d = utc(date);
  return d.getUTCFullYear() - (d.getUTCMonth() + 1 < fiscalStartMonth ? 1 : 0);
}

/** Where a fiscal period sits in its year: the year, and its half (1-2) or quarter (1-4), for labels like 2026年度 上期. */
export function fiscalPosition(period: Period, fiscalStartMonth: number): { year: number; half: number; quarter: number } {
  const s = utc(period.start);
  const into = (s.getUTCMonth() - (fiscalStartMonth - 1) + 12) % 12;
  return { year: fiscalYearOf(period.start, fiscalStartMonth), half: Math.floor(into / 6) + 1, quarter: Math.floor(into / 3) + 1 };
}

/** The fiscal year to date that holds the period's end: attainment "fiscal year to date" and the landing forecast read it. */
export function fiscalYearToDate(period: Period, fiscalStartMonth: number): Period {
  return periodContaining('fiscal_year', period.end, fiscalStartMonth);
}

/** The whole fiscal year holding `date`: its first and last day. */
export function wholeFiscalYear(date: string, fiscalStartMonth: number): Period {
  return periodSpan('fiscal_year', date, null, null, fiscalStartMonth);
}

/**
 * The period picked, whole: the month, quarter, half or year holding the last day with data, to
 * its last day (the header's 2026年10月1日～12月31日), or the custom dates (default: this quarter so far).
 */
export function periodSpan(kind: PeriodKind, lastDay: string, from: string | null, to: string | null, fiscalStartMonth = 4): Period {
  if (kind === 'custom') return { kind, start: from ?? periodContaining('quarter', lastDay).start, end: to ?? lastDay };
  const start = periodContaining(kind, lastDay, fiscalStartMonth).start;
  return { kind, start, end: iso(new Date(addMonths(utc(start), MONTHS[kind]).getTime() - 86_400_000)) };
}

/**
 * The days of a period that have data: cut at the last day with data. Figures and their
 * comparisons read these, so a period running past the data (10/15-11/15 with data to 10/31)
 * compares with the same days a year earlier (10/15-10/31), not a whole period.
 */
export function withData(span: Period, lastDay: string): Period {
  return span.end > lastDay ? { ...span, end: lastDay } : span;
}

/** The period whose figures the board shows: the picked period up to the last day with data. */
export function boardPeriod(kind: PeriodKind, lastDay: string, from: string | null, to: string | null, fiscalStartMonth = 4): Period {
  return withData(periodSpan(kind, lastDay, from, to, fiscalStartMonth), lastDay);
}

/** The month (YYYY-MM) the data end inside of, or null when they end on a month's last day: a partial month, marked where months are drawn. */
export function partialMonth(lastDay: string): string | null {
  return iso(lastDayOfMonth(utc(lastDay))) === lastDay ? null : lastDay.slice(0, 7);
}

/** The same days a year earlier (29 February becomes the 28th). */
export function sameDaysLastYear(period: Period): Period {
  const back = (text: string) => {
    const d = utc(text);
    const month = addMonths(d, -12);
    return iso(new Date(Math.min(lastDayOfMonth(month).getTime(), Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), d.getUTCDate()))));
  };
  return { kind: period.kind, start: back(period.start), end: back(period.end) };
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

/**
 * The last day with data (the model's `meta.role: last_day_with_data` measure), of the picked
 * tenant: an imported tenant's data may end years before the others'.
 */
export function lastDayQuery(lastDayMeasure: string, scope: Scope = {}): Query {
  return { measures: [lastDayMeasure], filters: scopeFilters(scope) };
}

/** The last day with data, from lastDayQuery's answer (an ISO date), or null before it comes (or with no orders). */
export function lastDayOf(rows: Record<string, unknown>[], lastDayMeasure: string): string | null {
  const day = rows[0]?.[lastDayMeasure];
  return typeof day === 'string' ? day.slice(0, 10) : null;
}

/**
 * The tenants with orders in what the board shows (the period, and the two years to its end that
 * the trend, the monthly table and last year's figures read) and their currencies: an all-tenants
 * board mixes currencies only when these differ, not because some tenant's data ended in 1998.
 */
export function shownCurrenciesQuery(measure: string, tenantDimension: string, currency: string, timeDimension: string, period: Period): Query {
  const twoYears = iso(addMonths(utc(period.end), -24));
  const start = period.start < twoYears ? period.start : twoYears;
  return { ...tenantsQuery(measure, tenantDimension, [currency]), timeDimensions: [{ dimension: timeDimension, dateRange: [start, period.end] }] };
}

/**
 * What one view's tiles ask: its flow KPIs (and their attainment kept in the same view) over the
 * period and the previous one, a 13-month trend (sparklines, and as-of KPIs read at month end with
 * their attainment), and attainment kept in another view over the period.
 */
export interface ViewQueries {
  current: Query | null;
  previous: Query | null;
  lastYear: Query | null;
  trend: Query;
  attainment: Query | null;
  /** Attainment over the fiscal year to date, when the tenant's fiscal year is known. */
  attainmentYearToDate: Query | null;
}

/** The tenant scope of a view: its `meta.role: tenant` dimension. */
export function scopeIn(catalog: Catalog, view: string, tenant: string | null): Scope {
  return { tenantDimension: catalog.dimensionByRole(view, 'tenant')?.name, tenant };
}

export function viewQueries(catalog: Catalog, view: string, members: CatalogMember[], period: Period, tenant: string | null, fiscalStartMonth: number | null = null): ViewQueries {
  const timeDimension = catalog.view(view)!.timeDimension!;
  const scope = scopeIn(catalog, view, tenant);
  const sameView = members.filter((m) => catalog.attainmentFor(m)?.view === view);
  const periodMeasures = [...members.filter((m) => !m.asOf), ...sameView.filter((m) => !m.asOf).map((m) => catalog.attainmentFor(m)!)].map((m) => m.name);
  const bases = members.map((m) => m.basis).filter((b): b is string => !!b && catalog.member(b)?.view === view);
  const trendMeasures = [...members.map((m) => m.name), ...sameView.filter((m) => m.asOf).map((m) => catalog.attainmentFor(m)!.name), ...bases];
  const external = members.map((m) => catalog.attainmentFor(m)).filter((a): a is CatalogMember => !!a && a.view !== view);
  // Attainment kept elsewhere comes from one other view (the targets view); one query for it.
  const targetsView = external[0]?.view;
  const targetsTime = targetsView ? catalog.view(targetsView)?.timeDimension : undefined;
  const forPeriod = (p: Period) => (periodMeasures.length ? periodValueQuery(periodMeasures, timeDimension, p, scope) : null);
  const attainmentOver = (p: Period) =>
    targetsView && targetsTime
      ? periodValueQuery(
          external.filter((a) => a.view === targetsView).map((a) => a.name),
          targetsTime,
          p,
          scopeIn(catalog, targetsView, tenant),
        )
      : null;
  return {
    current: forPeriod(period),
    previous: forPeriod(previousPeriod(period)),
    lastYear: forPeriod(sameDaysLastYear(period)),
    trend: monthlyQuery([...new Set(trendMeasures)], timeDimension, period.end, 13, scope),
    attainment: attainmentOver(period),
    attainmentYearToDate: fiscalStartMonth ? attainmentOver(fiscalYearToDate(period, fiscalStartMonth)) : null,
  };
}

/**
 * Measures by month over the months of `period` and the same months a year earlier, in one
 * request (Cube's compareDateRange): the monthly table's and the trend chart's year-over-year.
 */
export function monthlyYearOverYearQuery(measures: string[], timeDimension: string, period: Period, scope: Scope): Query {
  const last = sameDaysLastYear(period);
  return {
    measures,
    timeDimensions: [
      {
        dimension: timeDimension,
        granularity: 'month',
        compareDateRange: [
          [period.start, period.end],
          [last.start, last.end],
        ],
      },
    ],
    filters: scopeFilters(scope),
    order: [[timeDimension, 'asc']],
  };
}

/** The twelve months ending with the period's month, as a period (the trend chart's and monthly table's span). */
export function trailingYear(end: string): Period {
  return { kind: 'custom', start: iso(addMonths(utc(end), -11)), end };
}

/** The landing forecast of the fiscal year holding the period's end, with its annual targets. */
export function landingQuery(measures: string[], fiscalYearDimension: string, fiscalYear: number, scope: Scope): Query {
  return { measures, filters: [...(scopeFilters(scope) ?? []), { member: fiscalYearDimension, operator: 'equals', values: [String(fiscalYear)] }] };
}

/**
 * The fiscal-year start month the board counts with: the tenant's picked (or only) one, or the
 * one all visible tenants share; null when they differ (a fiscal period then needs a tenant).
 */
export function fiscalStartMonthOf(rows: Record<string, unknown>[], tenantDimension: string, fiscalStart: string, tenant: string | null): number | null {
  const months = new Set(rows.filter((r) => !tenant || r[tenantDimension] === tenant).map((r) => Number(r[fiscalStart])));
  const [only] = [...months];
  return months.size === 1 && only >= 1 && only <= 12 ? only : null;
}

/** Relative change of a figure against the previous period, for the "vs previous" badge. */
export function relativeChange(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}

/**
 * How a figure compares with an earlier one, by its measure's `meta.format`: a rate ('percent')
 * by its difference in points (58.32 % → 61.68 % is +0.0336, written +3.4pt: its relative change,
 * +5.8 %, reads as if the rate had moved by 5.8 points), amounts and counts by their relative change.
 */
export function changeBetween(current: number | null, previous: number | null, format: ValueFormat): number | null {
  if (format !== 'percent') return relativeChange(current, previous);
  return current === null || previous === null ? null : current - previous;
}
