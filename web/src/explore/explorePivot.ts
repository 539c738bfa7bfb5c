import { toNumber } from '../ui/format';

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
  /** At most this many series are drawn: every measure for the values of splitBy reaching the highest first measure. */
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
  /** Values of splitBy drawn, and left out to keep the chart readable (ranked below the drawn ones). */
  shownValues: number;
  omittedValues: number;
}

export const PIVOT_X = 'x';

/** One series: a value of splitBy (its label, '' without a split) and a measure. */
interface Series {
  split: string;
  measure: string;
  cells: Map<string, number | null>;
}

export function pivotSeries(rows: Row[], spec: PivotSpec): Pivot {
  const xs = new Set<string>();
  const bySplit = new Map<string, Series[]>();
  for (const row of rows) {
    const x = String(row[spec.x]);
    xs.add(x);
    const split = spec.splitBy.map((d) => spec.valueLabel(d, row[d])).join(' · ');
    if (!bySplit.has(split))
      bySplit.set(
        split,
        spec.measures.map((measure) => ({ split, measure, cells: new Map() })),
      );
    for (const series of bySplit.get(split)!) series.cells.set(x, toNumber(row[series.measure]));
  }
  // Values ranked by the largest single value of the first measure: a comparison, not a total.
  const peak = (split: string) => Math.max(-Infinity, ...[...bySplit.get(split)![0].cells.values()].filter((v): v is number => v !== null));
  const peaks = new Map([...bySplit.keys()].map((split) => [split, peak(split)]));
  const ranked = [...bySplit.keys()].sort((a, b) => peaks.get(b)! - peaks.get(a)! || a.localeCompare(b));
  const kept = new Set(ranked.slice(0, Math.max(1, Math.floor(spec.maxSeries / Math.max(1, spec.measures.length)))));
  const drawn = [...bySplit.keys()].filter((split) => kept.has(split)).flatMap((split) => bySplit.get(split)!);
  const name = (s: Series) => [...(spec.measures.length > 1 || !s.split ? [spec.measureLabel(s.measure)] : []), ...(s.split ? [s.split] : [])].join(' · ');
  return {
    data: [...xs].map((x) => Object.fromEntries([[PIVOT_X, spec.xLabel(x)], ...drawn.map((s) => [name(s), s.cells.get(x) ?? null])])),
    series: drawn.map(name),
    shownValues: kept.size,
    omittedValues: ranked.length - kept.size,
  };
}
