import { tableFromArrays, tableToIPC } from 'apache-arrow';
import express, { type Request, type Router } from 'express';
import { TokenError, verifyApiToken } from '../auth/tokens.js';
import { QueryFailed, type InProcessApi } from '../inProcessApi.js';
import { needsSuppression } from '../policy/accessPolicy.js';
import { cohortGroupKey, protectedGroups, type CohortGroup } from '../policy/extractSuppression.js';

/**
 * The attributes the cohort page slices by, in the order of the extract's `slice_set` bits:
 * bit 4 (16) is `signup_channel` … bit 0 (1) is `gender`; a set bit means "all values" (SQL
 * GROUPING()). web/src/cohorts/slicing/cohortMatrixSql.ts reads the same order.
 */
export const COHORT_SLICE_ATTRIBUTES = ['signup_channel', 'region', 'tier', 'age_band', 'gender'] as const;

/**
 * Active members and their revenue per cohort month, month offset and combination of slice
 * attributes: the model's `cohorts` view, queried in-process under the caller's token (so
 * tenant scope and personal-data rules apply as for /load), at the finest grain.
 */
const COHORT_ACTIVITY = {
  measures: ['cohorts.retained_customers', 'cohorts.cohort_revenue'],
  dimensions: ['cohorts.month_offset', ...COHORT_SLICE_ATTRIBUTES.map((a) => `cohorts.${a}`)],
  timeDimensions: [{ dimension: 'cohorts.cohort_month', granularity: 'month' }],
  filters: [{ member: 'cohorts.is_active', operator: 'equals', values: ['true'] }],
};

type Row = Record<string, unknown>;

/**
 * The extract's rows, built around Cube's SQL (aliases from Cube, nothing from the request),
 * valid on DuckDB and Postgres: one row per cohort month, month offset, `slice_set` and the
 * values of the attributes it keeps. With `everySlice` (roles under suppression), every slice
 * the page can ask for as its own grouping set, so the server can leave small ones out;
 * otherwise only the finest grain (`slice_set` 0; 18 times fewer rows), which the browser sums.
 */
function slicesSql(cubeSql: string, aliasOf: (member: string) => string, everySlice: boolean): string {
  const attributes = COHORT_SLICE_ATTRIBUTES.map((a) => `"${aliasOf(`cohorts.${a}`)}"`);
  const month = `"${aliasOf('cohorts.cohort_month')}"`;
  const offset = `"${aliasOf('cohorts.month_offset')}"`;
  const sets = Array.from(
    { length: everySlice ? 2 ** attributes.length : 1 },
    (_, mask) => `(${[month, offset, ...attributes.filter((_, i) => !(mask & (1 << (attributes.length - 1 - i))))].join(', ')})`,
  );
  return `SELECT ${month} AS cohort_month, ${offset} AS month_offset,
      ${attributes.map((a, i) => `${a} AS ${COHORT_SLICE_ATTRIBUTES[i]}`).join(', ')},
      GROUPING(${attributes.join(', ')}) AS slice_set,
      sum("${aliasOf('cohorts.retained_customers')}") AS retained_customers,
      sum("${aliasOf('cohorts.cohort_revenue')}") AS cohort_revenue
    FROM (${cubeSql}) AS fine
    GROUP BY GROUPING SETS (${sets.join(', ')})`;
}

const valuesOf = (row: Row) => COHORT_SLICE_ATTRIBUTES.map((a) => (row[a] === null ? null : String(row[a])));
const groupKey = (row: Row) => cohortGroupKey(Number(row.slice_set), String(row.cohort_month), valuesOf(row));

/** For roles under suppression: only groups (a cohort within a slice) of at least the minimum, with complementary groups left out too. */
function withoutSmallGroups(rows: Row[], minGroupSize: number): Row[] {
  const groups = new Map<string, CohortGroup>();
  for (const row of rows) {
    if (Number(row.month_offset) !== 0) continue;
    groups.set(groupKey(row), { key: groupKey(row), cohort: String(row.cohort_month), mask: Number(row.slice_set), values: valuesOf(row), size: Number(row.retained_customers) });
  }
  const removed = protectedGroups([...groups.values()], COHORT_SLICE_ATTRIBUTES.length, minGroupSize);
  return rows.filter((row) => !removed.has(groupKey(row)));
}

function toArrow(rows: Row[]): Uint8Array {
  const text = (name: string) => rows.map((r) => (r[name] === null || r[name] === undefined ? null : String(r[name])));
  const number = (name: string) => Float64Array.from(rows, (r) => (r[name] === null ? Number.NaN : Number(r[name])));
  return tableToIPC(
    tableFromArrays({
      cohort_month: rows.map((r) => String(r.cohort_month).slice(0, 10)),
      month_offset: number('month_offset'),
      ...Object.fromEntries(COHORT_SLICE_ATTRIBUTES.map((a) => [a, text(a)])),
      slice_set: number('slice_set'),
      retained_customers: number('retained_customers'),
      cohort_revenue: number('cohort_revenue'),
    } as Record<string, Float64Array | string[]>),
    'stream',
  );
}

/**
 * `/api/extracts/cohort-activity`: the Arrow table the browser slices with DuckDB-WASM. For
 * roles under small-group suppression the threshold holds in what is sent (no row describes
 * a cohort slice of fewer members than the minimum), and `X-Min-Group-Size` tells the page
 * to show "< N" where a cohort is missing from a slice.
 */
export function extractRoutes(api: InProcessApi, runSql: (sql: string, params: unknown[]) => Promise<Row[]>, apiSecret: string, minGroupSize: number): Router {
  const router = express.Router();
  router.get('/extracts/:name', async (req: Request, res, next) => {
    try {
      const context = verifyApiToken(apiSecret, req.headers.authorization);
      if (req.params.name !== 'cohort-activity') {
        res.status(404).json({ error: `No extract "${String(req.params.name).slice(0, 60)}"; available: cohort-activity.` });
        return;
      }
      const { sql, params, aliasNameToMember } = await api.sql(context, COHORT_ACTIVITY);
      const aliasOf = (member: string) => Object.keys(aliasNameToMember).find((alias) => aliasNameToMember[alias] === member || aliasNameToMember[alias].startsWith(`${member}.`))!;
      const suppressed = needsSuppression(context);
      const rows = await runSql(slicesSql(sql, aliasOf, suppressed), params);
      if (res.writableEnded || req.socket.destroyed) return;
      const ipc = toArrow(suppressed ? withoutSmallGroups(rows, minGroupSize) : rows);
      res.set({ 'Content-Type': 'application/vnd.apache.arrow.stream', 'Content-Length': String(ipc.byteLength), 'Cache-Control': 'private, no-store' });
      if (suppressed) res.set('X-Min-Group-Size', String(minGroupSize));
      res.end(Buffer.from(ipc));
    } catch (e) {
      if (e instanceof TokenError || e instanceof QueryFailed) res.status(e.status).json({ error: e.message });
      else next(e);
    }
  });
  return router;
}
