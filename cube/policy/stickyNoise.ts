import { createHmac } from 'node:crypto';
import { contributorsOf, type MemberIndex } from './memberIndex.js';
import type { Filter } from './queryMembers.js';
import type { QueryResult } from './suppression.js';

/**
 * Sticky noise against differencing, in the spirit of Open Diffix Elm: suppression hides a
 * small group inside one answer, but two allowed answers whose groups differ by that group (a
 * line total and the same line with `notEquals` it; two overlapping date ranges) gave it back
 * exactly as their difference. Every figure released to a role under suppression therefore
 * moves by a pseudo-random amount that
 * - is sticky: a function of a key only the server holds and of what the figure describes, so
 *   asking again, or reordering the query, returns the same figure and cannot average it away.
 *   Two layers are added, as Elm does: one seeded by the figure's condition (measure, the query's
 *   filters, segments, date ranges and time zone, canonicalized; the row's grouping values), one
 *   by the measure and its exact value (Elm seeds this layer with the set of contributing
 *   customers, which the warehouse does not send; the exact value stands in for it, so queries
 *   that are written differently but count the same customers share it and averaging many
 *   rewordings leaves this layer whole);
 * - stays under what the UI shows (web/src/ui/format.ts): money and counts below 100,000 in
 *   whole units, from there four significant digits in 万 (at most 1万 from 1億 on), figures
 *   under 10 to 0.01, percentages to 0.1 %; a figure moves by at most 0.4 of that unit,
 * - except whole figures written to the unit (counts, whole-yen sums under 100,000): noise
 *   under half a unit would be undone by rounding, so they move by whole units, at most 2
 *   (most by 0 or 1); and a ratio over n customers (a repeat rate, orders per member) moves by
 *   up to 2/n, as if the count behind it moved so (n times the ratio is that count, and n is
 *   exact in a customer list). That is the cost this defence chooses: such a figure can read
 *   one or two counts off, rather than let a hidden group's size, sum or count be read exactly;
 * - never makes a count or any non-negative figure negative, nor a share leave 0-100 %.
 */

// Every figure's noise is at most this many standard deviations, so its bound holds.
const CLIP = 2;

/** The key noise is drawn with: derived from the API secret, so it is as secret and as stable as the tokens. */
export function noiseKey(apiSecret: string): Buffer {
  return createHmac('sha256', apiSecret).update('crm-analytics sticky noise v1').digest();
}

/** The display unit of a figure, as formatValue writes it in Japanese (the finer of the two languages). */
export function displayUnit(value: number, format: string | undefined): number {
  if (format === 'percent') return 0.001;
  const abs = Math.abs(value);
  if (abs >= 100_000) return Math.min(10 ** (Math.floor(Math.log10(abs)) - 3), 10_000);
  return format !== 'currency' && abs < 10 && !Number.isInteger(value) ? 0.01 : 1;
}

const hmac = (key: Buffer, seed: string) => createHmac('sha256', key).update(seed).digest();

/** A standard normal number drawn from HMAC(key, seed): the same seed always draws the same number. */
function gaussian(key: Buffer, seed: string): number {
  const digest = hmac(key, seed);
  const u1 = (digest.readUInt32BE(0) + 1) / 2 ** 32;
  const u2 = digest.readUInt32BE(4) / 2 ** 32;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

// Aggregations whose figures are whole when the amounts they add are: counts, and sums of whole amounts.
const WHOLE_AGGREGATIONS = new Set(['count', 'countDistinct', 'countDistinctApprox', 'sum']);

/** How a measure is written and added up: its `meta.format` and Cube aggregation. */
export interface FigureKind {
  format?: string;
  aggregation?: string;
  /** For a ratio (Cube `number` measure): the customers it is taken over, when the answer counted them. */
  base?: number;
}

/**
 * The figure as released: `value` plus its sticky noise (see above), from its two layers' draws:
 * `conditionDraw` and `valueDraw`, standard normal numbers.
 */
function noisyFigure({ format, aggregation, base }: FigureKind, value: number, conditionDraw: number, valueDraw: number): number {
  const z = (conditionDraw + valueDraw) / Math.SQRT2;
  const clipped = Math.max(-CLIP, Math.min(CLIP, z));
  const unit = displayUnit(value, format);
  // A whole count or sum is released whole, and moved by at least one unit; an average or a
  // share that happens to be whole (a repeat rate of 100 %) is not a count and is not.
  const whole = Number.isInteger(value) && format !== 'percent' && WHOLE_AGGREGATIONS.has(aggregation ?? '');
  // A ratio over n customers (a repeat rate, orders per member) times n is a count, which a
  // customer list gives exactly: noise under 1/n would round away there, so it moves as if that
  // count moved by one unit or two.
  const scale = Math.max(0.2 * unit, aggregation === 'number' && base && base > 0 ? 1 / base : 0);
  const noise = whole ? Math.round(clipped * Math.max(0.2 * unit, 1)) : clipped * scale;
  let released = value + noise;
  if (value >= 0) released = Math.max(0, released);
  if (format === 'percent' && value >= 0 && value <= 1) released = Math.min(1, released);
  return released;
}

// A day's first or last instant, as Cube writes a date range's bounds: the day itself.
const DAY_BOUND = /^(\d{4}-\d{2}-\d{2})T(00:00:00|23:59:59)\.\d{3}$/;

/**
 * A filter group in one canonical form: values and and/or members sorted, day bounds written as
 * days, so that reordering a query, or asking for a date range as a filter instead, does not
 * re-draw its noise.
 */
function canonicalFilters(filters: Filter[] = []): string[] {
  return filters
    .map((f) =>
      JSON.stringify({
        member: f.member ?? f.dimension,
        operator: f.operator,
        values: f.values ? f.values.map((v) => String(v).replace(DAY_BOUND, '$1')).sort() : undefined,
        and: f.and ? canonicalFilters(f.and) : undefined,
        or: f.or ? canonicalFilters(f.or) : undefined,
      }),
    )
    .sort();
}

/** What every figure of a result is conditioned on, beyond its row: filters, date ranges (as filters), segments, time zone. */
export function queryCondition(query: QueryResult['query'] & { timezone?: unknown }): string {
  const ranges: Filter[] = (query.timeDimensions ?? [])
    .filter((t) => Array.isArray(t.dateRange))
    .map((t) => ({ member: t.dimension, operator: 'inDateRange', values: (t.dateRange as unknown[]).map(String) }));
  return JSON.stringify([canonicalFilters([...(query.filters ?? []), ...ranges]), [...(query.segments ?? [])].sort(), query.timezone ?? 'UTC']);
}

/**
 * Adds sticky noise to every figure of a result after small-group suppression (blanked figures
 * stay blank), for roles under suppression only: the caller decides. A count of customers shown
 * (so at least `minGroupSize`) is never released under it: a row reading 8 customers would say
 * the rule was broken. `counted` are the answer's rows before suppression dropped the counts it
 * added: a ratio's base is read there. Dimension values are untouched; numbers keep the type they
 * came in (Cube sends most as strings).
 */
export function addStickyNoise(result: QueryResult, index: MemberIndex, key: Buffer, minGroupSize: number, counted: QueryResult['data']): QueryResult {
  const query = result.query;
  const measures = query.measures ?? [];
  if (!measures.length || !result.data.length) return result;
  // Keys derived once per answer and once per row (an HMAC per figure over the whole condition
  // cost 16 µs a figure: 2.4 s for 50,000 rows of three measures); the value layer repeats
  // often (counts), so its draws are kept for the answer.
  const conditionKey = hmac(key, `condition\u0000${queryCondition(query)}`);
  const valueDraws = new Map<string, number>();
  const valueDraw = (m: string, value: number) => {
    const seed = `value\u0000${m}\u0000${value}`;
    let draw = valueDraws.get(seed);
    if (draw === undefined) valueDraws.set(seed, (draw = gaussian(key, seed)));
    return draw;
  };
  const grouping = [...(query.dimensions ?? []), ...(query.timeDimensions ?? []).filter((t) => t.granularity).map((t) => `${t.dimension}.${t.granularity}`)].sort();
  const cellOf = (row: QueryResult['data'][number]) => JSON.stringify(grouping.map((k) => [k, row[k] ?? null]));
  const figures = measures.map((m) => {
    const info = index.get(m.split('.')[0])?.members.get(m);
    return { m, info, bases: info?.aggregation === 'number' ? (contributorsOf(m, index) ?? []) : [] };
  });
  const countedRows = new Map(figures.some((f) => f.bases.length) ? counted.map((row) => [cellOf(row), row]) : []);
  const data = result.data.map((row) => {
    const cell = cellOf(row);
    const rowKey = hmac(conditionKey, cell);
    const noisy = { ...row };
    for (const { m, info, bases } of figures) {
      // `meta.contributors: []`: not a figure about customers (a tenant's campaigns, its dormancy days): nothing to hide.
      if (info?.contributors?.length === 0) continue;
      const raw = row[m];
      if (raw === null || raw === undefined || raw === '') continue;
      const value = Number(raw);
      if (!Number.isFinite(value)) continue;
      const sizes = bases.map((c) => Number(countedRows.get(cell)?.[c])).filter((n) => Number.isFinite(n));
      const kind = { format: info?.format, aggregation: info?.aggregation, base: sizes.length ? Math.min(...sizes) : undefined };
      let released = noisyFigure(kind, value, gaussian(rowKey, m), valueDraw(m, value));
      if (info?.countsCustomers && value >= minGroupSize) released = Math.max(minGroupSize, released);
      noisy[m] = typeof raw === 'string' ? String(released) : released;
    }
    return noisy;
  });
  return { ...result, data };
}
