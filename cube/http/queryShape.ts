import type { NextFunction, Request, Response } from 'express';

const ARRAY_FIELDS = ['measures', 'dimensions', 'segments', 'timeDimensions', 'filters'] as const;

/** `and`/`or` groups nest at most this deep; deeper nesting overflows recursive checks (RangeError). */
export const MAX_FILTER_DEPTH = 10;
/** Filters in one query, nested ones included. */
export const MAX_FILTERS = 500;
/** Queries in one multi-query request. */
export const MAX_QUERIES = 50;
/**
 * Levels of JSON arrays and objects in one query, in any field. Far above what a real query
 * needs (10 levels of and/or take about 25); far below what overflows the stack of code that
 * walks a query recursively (Cube's validation, JSON.stringify, our own policies).
 */
export const MAX_JSON_DEPTH = 64;

/** A date or date-time as Cube reads one (`2024-01-31`, `2024-01-31T23:59:59.999`, with an optional zone). */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

function isIsoDate(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = value.match(ISO_DATE);
  if (!m) return false;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return date.getUTCMonth() === Number(mo) - 1 && date.getUTCDate() === Number(d) && Number(h) < 24 && Number(mi) < 60 && Number(s) < 60;
}

/** Date operators and how many dates each takes. */
const DATE_OPERATORS: Record<string, number> = { inDateRange: 2, notInDateRange: 2, beforeDate: 1, afterDate: 1, beforeOrOnDate: 1, afterOrOnDate: 1 };

/** A date filter needs real dates, as many as its operator takes (Cube would read one date of a range as "everything"). */
function dateFilterError(filter: Record<string, unknown>): string | null {
  const operator = filter.operator;
  if (typeof operator !== 'string' || !Object.hasOwn(DATE_OPERATORS, operator)) return null;
  const values = filter.values;
  const count = DATE_OPERATORS[operator];
  if (!Array.isArray(values) || values.length !== count || !values.every(isIsoDate)) {
    return `"${operator}" takes ${count === 2 ? 'two dates, like ["2024-01-01", "2024-01-31"]' : 'one date, like ["2024-01-01"]'}`;
  }
  return null;
}

/** Depth and count of a filter list, stopping as soon as either limit is passed (never recursing past it). */
function filterLimitsError(filters: unknown[]): string | null {
  let count = 0;
  const stack: { filters: unknown[]; depth: number }[] = [{ filters, depth: 1 }];
  while (stack.length) {
    const { filters: list, depth } = stack.pop()!;
    if (depth > MAX_FILTER_DEPTH) return `filters nested too deeply (at most ${MAX_FILTER_DEPTH} levels of "and"/"or")`;
    for (const f of list) {
      if (++count > MAX_FILTERS) return `too many filters (at most ${MAX_FILTERS}, nested ones included)`;
      if (f === null || typeof f !== 'object' || Array.isArray(f)) return '"filters" must be an array of objects';
      const dateError = dateFilterError(f as Record<string, unknown>);
      if (dateError) return dateError;
      for (const key of ['and', 'or'] as const) {
        const group = (f as Record<string, unknown>)[key];
        if (group === undefined) continue;
        if (!Array.isArray(group)) return `"${key}" in a filter must be an array of filters`;
        stack.push({ filters: group, depth: depth + 1 });
      }
    }
  }
  return null;
}

/** True when `value` nests arrays and objects more than `max` levels deep; iterative, stops at the first level past `max`. */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length) {
    const { value: v, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(v)) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}

/**
 * The shape errors Cube 0.35 would answer with a 500 (it iterates before it validates), or
 * with a RangeError (deep nesting), or silently misread (an unparseable date range becomes
 * "Invalid date" and an empty answer): returns a message for the first one, or null. Cube's
 * own validation handles the rest.
 */
export function queryShapeError(query: unknown): string | null {
  if (Array.isArray(query)) {
    if (query.length > MAX_QUERIES) return `too many queries in one request (at most ${MAX_QUERIES})`;
    for (const q of query) {
      if (Array.isArray(q)) return 'each query of a multi-query request must be a JSON object';
      const error = queryShapeError(q);
      if (error) return error;
    }
    return null;
  }
  if (query === null || typeof query !== 'object') return 'the query must be a JSON object';
  const record = query as Record<string, unknown>;
  for (const field of ARRAY_FIELDS) {
    if (field in record && !Array.isArray(record[field])) return `"${field}" must be an array`;
  }
  for (const field of ['measures', 'dimensions', 'segments'] as const) {
    const values = record[field] as unknown[] | undefined;
    if (values?.some((v) => typeof v !== 'string')) return `"${field}" must list member names as strings`;
  }
  const timeDimensions = record.timeDimensions as unknown[] | undefined;
  if (timeDimensions?.some((t) => t === null || typeof t !== 'object' || Array.isArray(t))) return '"timeDimensions" must be an array of objects';
  for (const t of (timeDimensions ?? []) as Record<string, unknown>[]) {
    const ranges = [t.dateRange, ...(Array.isArray(t.compareDateRange) ? t.compareDateRange : [])];
    if (ranges.some((range) => Array.isArray(range) && !(range.length >= 1 && range.length <= 2 && range.every(isIsoDate)))) {
      return '"dateRange" must be two dates like ["2024-01-01", "2024-01-31"] (or a relative range such as "last 7 days")';
    }
  }
  if (record.filters) {
    const error = filterLimitsError(record.filters as unknown[]);
    if (error) return error;
  }
  // Last, so that the checks above (none recurses) give their more specific messages first.
  if (nestedDeeperThan(record, MAX_JSON_DEPTH)) return `JSON nested too deeply (at most ${MAX_JSON_DEPTH} levels)`;
  return null;
}

function queryOf(req: Request): unknown {
  const raw = req.method === 'GET' ? req.query.query : req.body?.query;
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined; // Cube answers undecodable JSON with a clear 400 itself.
  }
}

/** Answers a query of the wrong shape with 400 before it reaches Cube. */
export function rejectMalformedQueries(req: Request, res: Response, next: NextFunction): void {
  const query = queryOf(req);
  const error = query === undefined ? null : queryShapeError(query);
  if (error) {
    res.status(400).json({ error: `Malformed query: ${error}.` });
    return;
  }
  next();
}
