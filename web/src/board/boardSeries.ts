/**
 * Pure shaping of the board's result rows into what the tiles, charts and table draw (charts
 * receive ready series; they never filter, sort or compute).
 */
import type { Catalog, CatalogMember } from '../data/catalog';
import { toNumber } from '../ui/format';
import type { ValueFormat } from '../ui/format';
import { changeBetween, previousPeriod, sameDaysLastYear, type Period } from './boardQueries';

type Row = Record<string, unknown>;

const monthOf = (v: unknown) => String(v).slice(0, 7);

/**
 * One point per month with one category per dimension value (revenue by month split by channel).
 * Months in input order; missing cells are 0; categories follow `order` (raw values, so each
 * keeps its colour whatever the data holds), then the others as they come.
 */
export function splitByMonth(
  rows: Row[],
  monthKey: string,
  dimension: string,
  measure: string,
  label: (value: string) => string,
  monthLabel: (iso: string) => string,
  order: string[] = [],
): { series: Record<string, string | number>[]; categories: string[] } {
  const months = new Map<string, Record<string, string | number>>();
  const values: string[] = [];
  for (const r of rows) {
    const month = monthOf(r[monthKey]);
    const value = String(r[dimension]);
    if (!values.includes(value)) values.push(value);
    const point = months.get(month) ?? { month: monthLabel(String(r[monthKey])) };
    point[label(value)] = (Number(point[label(value)]) || 0) + (toNumber(r[measure]) ?? 0);
    months.set(month, point);
  }
  const rank = (v: string) => (order.includes(v) ? order.indexOf(v) : order.length);
  const categories = [...values].sort((a, b) => rank(a) - rank(b)).map(label);
  const series = [...months.values()].map((p) => Object.fromEntries([['month', p.month], ...categories.map((c) => [c, p[c] ?? 0])]));
  return { series, categories };
}

export interface MonthlyRow {
  /** ISO month, YYYY-MM. */
  month: string;
  values: Record<string, number | null>;
  /** Each measure's change against the same month last year (changeBetween: points for a rate; null without last year's figure). */
  yoy: Record<string, number | null>;
}

/** The ISO month (YYYY-MM) a year before. */
const monthBefore = (month: string) => `${Number(month.slice(0, 4)) - 1}${month.slice(4)}`;

/** Table rows of several measures by month, newest first, each with its change against the same month of `lastYearRows`. */
export function monthlyTable(rows: Row[], monthKey: string, measures: string[], lastYearRows: Row[] = [], formats: Record<string, ValueFormat> = {}): MonthlyRow[] {
  const lastYear = new Map(lastYearRows.map((r) => [monthOf(r[monthKey]), r]));
  return rows
    .map((r) => {
      const month = monthOf(r[monthKey]);
      const before = lastYear.get(monthBefore(month));
      return {
        month,
        values: Object.fromEntries(measures.map((m) => [m, toNumber(r[m])])),
        yoy: Object.fromEntries(measures.map((m) => [m, changeBetween(toNumber(r[m]), toNumber(before?.[m]), formats[m] ?? 'number')])),
      };
    })
    .sort((a, b) => b.month.localeCompare(a.month));
}

/** The months (YYYY-MM) from the period's first to its last, in order. */
export function monthsOf(period: Period): string[] {
  const months: string[] = [];
  for (let d = new Date(`${period.start.slice(0, 7)}-01T00:00:00Z`); d.toISOString().slice(0, 7) <= period.end.slice(0, 7); d.setUTCMonth(d.getUTCMonth() + 1)) {
    months.push(d.toISOString().slice(0, 7));
  }
  return months;
}

/** One line of the trend chart: its label, its rows by month, and whether they are last year's (drawn at the month a year later). */
export interface TrendLine {
  name: string;
  rows: Row[];
  monthKey: string;
  measure: string;
  lastYear?: boolean;
}

/** Chart points, one per month, with each line's value or null where it has none (a gap, not a zero). */
export function trendLines(months: string[], lines: TrendLine[], monthLabel: (iso: string) => string): Record<string, string | number | null>[] {
  const byMonth = lines.map((l) => new Map(l.rows.map((r) => [monthOf(r[l.monthKey]), toNumber(r[l.measure])])));
  return months.map((month) => ({
    month: monthLabel(`${month}-01`),
    ...Object.fromEntries(lines.map((l, i) => [l.name, byMonth[i].get(l.lastYear ? monthBefore(month) : month) ?? null])),
  }));
}

/** BarList items: a label per dimension value and the measure's value, in the query's order. */
export function bars(rows: Row[], dimension: string, measure: string, label: (row: Row) => string = (r) => String(r[dimension])): { name: string; value: number }[] {
  return rows.map((r) => ({ name: label(r), value: toNumber(r[measure]) ?? 0 }));
}

export interface KpiFigure {
  kpi: string;
  measure?: CatalogMember;
  value: number | null;
  previous: number | null;
  /** Change against the previous period (前期比; changeBetween: points for a rate, else relative). */
  change: number | null;
  /** The same days last year, and the change against them (前年同期比). */
  lastYear: number | null;
  yoy: number | null;
  /** Attainment over the period (month to date for a month), and over the fiscal year to date. */
  attainment: number | null;
  attainmentYearToDate: number | null;
  trend: { month: string; value: number | null }[];
  /** The minimum group size when the value is hidden for describing too few customers. */
  suppressedBelow: number | null;
  /** The rule the figure follows, read at the period's end (`meta.basis`: churn's dormancy days). */
  basis?: { measure: CatalogMember; value: number | null };
}

/** A tile for a KPI the model does not define. */
export function missingFigure(kpi: string): KpiFigure {
  return { kpi, value: null, previous: null, change: null, lastYear: null, yoy: null, attainment: null, attainmentYearToDate: null, trend: [], suppressedBelow: null };
}

/** The answers to one view's ViewQueries (the first row of each period query; the trend's rows). */
export interface ViewAnswers {
  current?: Row;
  previous?: Row;
  lastYear?: Row;
  trend: Row[];
  targets?: Row;
  targetsYearToDate?: Row;
  /** The minimum group size when the server hid figures of the current period. */
  minGroupSize: number | null;
}

/**
 * Each KPI's figure: flow KPIs from the period's row, as-of KPIs (and their attainment) from the
 * trend at the period's last month; attainment kept in another view from the targets row.
 */
export function kpiFigures(catalog: Catalog, view: string, members: CatalogMember[], period: Period, answers: ViewAnswers): KpiFigure[] {
  const monthKey = `${catalog.view(view)!.timeDimension!}.month`;
  const at = (day: string, measure: string) => toNumber(answers.trend.find((r) => monthOf(r[monthKey]) === monthOf(day))?.[measure]);
  const previousEnd = previousPeriod(period).end;
  const lastYearEnd = sameDaysLastYear(period).end;
  return members.map((m) => {
    const value = m.asOf ? at(period.end, m.name) : toNumber(answers.current?.[m.name]);
    const previous = m.asOf ? at(previousEnd, m.name) : toNumber(answers.previous?.[m.name]);
    const lastYear = m.asOf ? at(lastYearEnd, m.name) : toNumber(answers.lastYear?.[m.name]);
    const a = catalog.attainmentFor(m);
    const attainment = !a ? null : a.view !== view ? toNumber(answers.targets?.[a.name]) : m.asOf ? at(period.end, a.name) : toNumber(answers.current?.[a.name]);
    // Year to date is kept for flow KPIs with their targets in the targets view (an as-of KPI is read at a month end).
    const attainmentYearToDate = a && a.view !== view && !m.asOf ? toNumber(answers.targetsYearToDate?.[a.name]) : null;
    const basisMember = m.basis ? catalog.member(m.basis) : undefined;
    return {
      kpi: m.kpi!,
      measure: m,
      value,
      previous,
      change: changeBetween(value, previous, m.format),
      lastYear,
      yoy: changeBetween(value, lastYear, m.format),
      attainment,
      attainmentYearToDate,
      trend: answers.trend.map((r) => ({ month: String(r[monthKey]), value: toNumber(r[m.name]) })),
      suppressedBelow: value === null ? answers.minGroupSize : null,
      basis: basisMember ? { measure: basisMember, value: at(period.end, basisMember.name) } : undefined,
    };
  });
}
