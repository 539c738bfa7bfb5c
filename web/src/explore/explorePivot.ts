/**
 * The explorer's rows as chart series: one point per x value (a time bucket, or the first
 * dimension's value) and one series per measure and value of the other dimensions, so revenue
 * by month × channel draws one line per channel. Values are the API's, never added up here
 * (a repeat rate or a month-end count cannot be summed), and a cell the API did not return
 * stays empty rather than 0.
 */
type Row = Record<string, unknown>;

export interface PivotSpec {
  /** Row key of the x axis. */
  x: string;
  /** Dimensions whose values split the series. */
  splitBy: string[];
  measures: string[];
  /** At most this many series are drawn: the ones reaching the highest values. */
  maxSeries: number;
  xLabel(value: unknown): string;
  valueLabel(dimension: string, value: unknown): string;
  measureLabel(measure: string): string;
}

export interface Pivot {
  /** One point per x value, keyed `x` plus one key per drawn series. */
  data: Record<string, string | number | null>[];
  /** Names of the drawn series, in legend order. */
  series: string[];
  /** Series left out to keep the chart readable (ranked below the drawn ones). */
  omitted: number;
}

export const PIVOT_X = 'x';

const num = (v: unknown) => (v === null || v === undefined || v === '' ? null : Number(v));

export function pivotSeries(rows: Row[], spec: PivotSpec): Pivot {
  const xs = new Set<string>();
  const cells = new Map<string, Map<string, number | null>>();
  for (const row of rows) {
    const x = String(row[spec.x]);
    xs.add(x);
    const split = spec.splitBy.map((d) => spec.valueLabel(d, row[d]));
    for (const measure of spec.measures) {
      const name = [...(spec.measures.length > 1 || !split.length ? [spec.measureLabel(measure)] : []), ...split].join(' · ');
      if (!cells.has(name)) cells.set(name, new Map());
      cells.get(name)!.set(x, num(row[measure]));
    }
  }
  // Ranked by the largest single value each series reaches: a comparison, not a total.
  const peaks = new Map([...cells].map(([name, values]) => [name, Math.max(-Infinity, ...[...values.values()].filter((v): v is number => v !== null))]));
  const ranked = [...cells.keys()].sort((a, b) => peaks.get(b)! - peaks.get(a)! || a.localeCompare(b));
  const drawn = ranked.slice(0, spec.maxSeries);
  const legendOrder = [...cells.keys()].filter((name) => drawn.includes(name));
  return {
    data: [...xs].map((x) => Object.fromEntries([[PIVOT_X, spec.xLabel(x)], ...legendOrder.map((name) => [name, cells.get(name)!.get(x) ?? null])])),
    series: legendOrder,
    omitted: ranked.length - drawn.length,
  };
}
