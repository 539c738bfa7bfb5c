import type { Query } from '@cubejs-client/core';

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

/** One measure over one period (a flow KPI: revenue, orders, active customers…). */
export function periodValueQuery(measure: string, timeDimension: string, period: Period, scope: Scope): Query {
  return { measures: [measure], timeDimensions: [{ dimension: timeDimension, dateRange: [period.start, period.end] }], filters: scopeFilters(scope) };
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

/** One measure split by a dimension over a period (revenue by channel, by region). */
export function breakdownQuery(measure: string, dimension: string, timeDimension: string, period: Period, scope: Scope): Query {
  return {
    measures: [measure],
    dimensions: [dimension],
    timeDimensions: [{ dimension: timeDimension, dateRange: [period.start, period.end] }],
    filters: scopeFilters(scope),
    order: { [measure]: 'desc' },
  };
}

/** The last day with data in a view: the latest month bucket of its time dimension. */
export function lastMonthQuery(measure: string, timeDimension: string): Query {
  return { measures: [measure], timeDimensions: [{ dimension: timeDimension, granularity: 'day' }], order: [[timeDimension, 'desc']], limit: 1 };
}

/** Relative change of a figure against the previous period, for the "vs previous" badge. */
export function relativeChange(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}
