/**
 * Pure shaping of the board's result rows into what the charts and table draw (charts receive
 * ready series; they never filter, sort or compute).
 */
type Row = Record<string, unknown>;

const num = (v: unknown) => (v === null || v === undefined || v === '' ? null : Number(v));
const monthOf = (v: unknown) => String(v).slice(0, 7);

/** One point per month with one category per dimension value (revenue by month split by channel). Months in input order; missing cells are 0. */
export function splitByMonth(rows: Row[], monthKey: string, dimension: string, measure: string, label: (value: string) => string, monthLabel: (iso: string) => string): { series: Record<string, string | number>[]; categories: string[] } {
  const months = new Map<string, Record<string, string | number>>();
  const categories: string[] = [];
  for (const r of rows) {
    const month = monthOf(r[monthKey]);
    const category = label(String(r[dimension]));
    if (!categories.includes(category)) categories.push(category);
    const point = months.get(month) ?? { month: monthLabel(String(r[monthKey])) };
    point[category] = (Number(point[category]) || 0) + (num(r[measure]) ?? 0);
    months.set(month, point);
  }
  const series = [...months.values()].map((p) => Object.fromEntries([['month', p.month], ...categories.map((c) => [c, p[c] ?? 0])]));
  return { series, categories };
}

export interface MonthlyRow {
  /** ISO month, YYYY-MM. */
  month: string;
  values: Record<string, number | null>;
}

/** Table rows of several measures by month, newest first. */
export function monthlyTable(rows: Row[], monthKey: string, measures: string[]): MonthlyRow[] {
  return rows
    .map((r) => ({ month: monthOf(r[monthKey]), values: Object.fromEntries(measures.map((m) => [m, num(r[m])])) }))
    .sort((a, b) => b.month.localeCompare(a.month));
}

/** BarList items: a label per dimension value and the measure's value, in the query's order. */
export function bars(rows: Row[], dimension: string, measure: string, label: (row: Row) => string = (r) => String(r[dimension])): { name: string; value: number }[] {
  return rows.map((r) => ({ name: label(r), value: num(r[measure]) ?? 0 }));
}
