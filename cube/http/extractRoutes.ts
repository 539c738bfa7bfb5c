import express, { type Request, type Router } from 'express';
import type { SecurityContext } from '../auth/securityContext.js';
import { TokenError, verifyApiToken } from '../auth/tokens.js';
import { QueryFailed, type InProcessApi } from '../inProcessApi.js';
import { needsSuppression } from '../policy/accessPolicy.js';
import { cohortGroupKey, protectedCells, protectedGroups, type CohortGroup } from '../policy/extractSuppression.js';
import type { MemberIndex } from '../policy/memberIndex.js';
import { addExtractNoise, type ExtractShape } from './extractNoise.js';
import { columnsToArrow, type Column } from './columnsToArrow.js';
import { ExtractCache } from './extractCache.js';

/** Memory for built extracts (one is about 35-55 MB at a million customers). */
const EXTRACT_CACHE_BYTES = 256 * 2 ** 20;

/**
 * The attributes the cohort page slices by, in the order of the extract's `slice_set` bits:
 * bit 4 (16) is `signup_channel` … bit 0 (1) is `gender`; a set bit means "all values" (SQL
 * GROUPING()). web/src/cohorts/slicing/cohortMatrixSql.ts reads the same order.
 */
export const COHORT_SLICE_ATTRIBUTES = ['signup_channel', 'region', 'tier', 'age_band', 'gender'] as const;

/**
 * Active members and their revenue per cohort month, month offset and combination of slice
 * attributes: the model's `cohorts` view, queried in-process under the caller's token (so
 * tenant scope and personal-data rules apply as for /load), at the finest grain, which the
 * rollup `customer_months.cohort_slices` holds. Months where nobody in a slice ordered count 0
 * and are left out by the extract's SQL (an `is_active` filter would miss the rollup).
 */
const COHORT_ACTIVITY = {
  measures: ['cohorts.retained_customers', 'cohorts.cohort_revenue'],
  dimensions: ['cohorts.month_offset', ...COHORT_SLICE_ATTRIBUTES.map((a) => `cohorts.${a}`)],
  timeDimensions: [{ dimension: 'cohorts.cohort_month', granularity: 'month' }],
};

/**
 * The extract's text columns (dictionary-encoded), and all the columns read, in the order they are
 * sent; `retained_digest` (the digest of each cell's active members, for the noisy threshold,
 * roles under suppression only) is read and never sent.
 */
const TEXT_COLUMNS = ['cohort_month', ...COHORT_SLICE_ATTRIBUTES] as const;
export const EXTRACT_COLUMNS = ['cohort_month', 'month_offset', ...COHORT_SLICE_ATTRIBUTES, 'slice_set', 'retained_customers', 'cohort_revenue', 'retained_digest'] as const;
type ExtractColumns = Record<(typeof EXTRACT_COLUMNS)[number], Column>;

/** The extract's columns as members of the cohorts view, for the noise /load gives the same figures (extractNoise.ts). */
const EXTRACT_SHAPE: ExtractShape = {
  view: 'cohorts',
  month: { column: 'cohort_month', dimension: 'cohorts.cohort_month' },
  offset: { column: 'month_offset', dimension: 'cohorts.month_offset' },
  attributes: COHORT_SLICE_ATTRIBUTES,
  figures: { retained_customers: 'cohorts.retained_customers', cohort_revenue: 'cohorts.cohort_revenue' },
};

/**
 * The extract's rows, built around Cube's SQL (aliases from Cube, nothing from the request),
 * valid on DuckDB and Postgres: one row per cohort month, month offset, `slice_set` and the
 * values of the attributes it keeps, typed so that drivers hand them over cheaply. With a
 * `minGroupSize` (roles under suppression), every slice the page can ask for as its own grouping
 * set, ordered by group with month offset 0 first, so the server can leave small ones out;
 * otherwise only the finest grain (`slice_set` 0; 18 times fewer rows), which the browser sums.
 */
function slicesSql(cubeSql: string, aliasOf: (member: string) => string, minGroupSize: number | null): string {
  const everySlice = minGroupSize !== null;
  const attributes = COHORT_SLICE_ATTRIBUTES.map((a) => `"${aliasOf(`cohorts.${a}`)}"`);
  const month = `"${aliasOf('cohorts.cohort_month')}"`;
  const offset = `"${aliasOf('cohorts.month_offset')}"`;
  const retained = `sum("${aliasOf('cohorts.retained_customers')}")`;
  const sets = Array.from(
    { length: everySlice ? 2 ** attributes.length : 1 },
    (_, mask) => `(${[month, offset, ...attributes.filter((_, i) => !(mask & (1 << (attributes.length - 1 - i))))].join(', ')})`,
  );
  // The digest the policy adds beside the count for roles under suppression: a sum, so a slice's is its rows' sum.
  const digest = everySlice ? `, CAST(sum("${aliasOf('cohorts.retained_customers_digest')}") AS VARCHAR) AS retained_digest` : '';
  const slices = `SELECT CAST(CAST(${month} AS DATE) AS VARCHAR) AS cohort_month, CAST(${offset} AS INTEGER) AS month_offset,
      ${attributes.map((a, i) => `${a} AS ${COHORT_SLICE_ATTRIBUTES[i]}`).join(', ')},
      CAST(GROUPING(${attributes.join(', ')}) AS INTEGER) AS slice_set,
      CAST(${retained} AS DOUBLE PRECISION) AS retained_customers,
      CAST(sum("${aliasOf('cohorts.cohort_revenue')}") AS DOUBLE PRECISION) AS cohort_revenue${digest}
    FROM (${cubeSql}) AS fine
    GROUP BY GROUPING SETS (${sets.join(', ')})
    HAVING ${retained} > 0`;
  if (!everySlice) return slices;
  // A group under the minimum is never sent: only its first month comes back (the suppression
  // needs its size), not its other months, which were half the rows at a million customers.
  const group = `slice_set, cohort_month, ${COHORT_SLICE_ATTRIBUTES.join(', ')}`;
  return `SELECT ${EXTRACT_COLUMNS.join(', ')} FROM (
      SELECT *, max(CASE WHEN month_offset = 0 THEN retained_customers END) OVER (PARTITION BY ${group}) AS group_size FROM (${slices}) AS slices
    ) AS sized
    WHERE month_offset = 0 OR group_size >= ${Math.trunc(minGroupSize)}
    ORDER BY ${group}, month_offset`;
}

/** A row's digest as read (NULL when the warehouse sent none). */
const digestAt = (columns: ExtractColumns, row: number) => (columns.retained_digest?.[row] === null || columns.retained_digest?.[row] === undefined ? null : String(columns.retained_digest[row]));

/**
 * The rows to send: all of them, or for roles under suppression only those of groups (a cohort
 * within a slice) of at least the minimum, with complementary groups left out too; in the rows
 * sent, a month whose active members are under the minimum (or complementary to one) carries
 * neither its revenue nor, after month 0, its active members (NULL): the same rules as every other answer
 * (policy/smallGroups.ts). The rows arrive ordered by group, so a group is a run of rows, its
 * size read at month offset 0.
 */
function rowsToSend(columns: ExtractColumns, minGroupSize: number | null, thresholdKey: Buffer): number[] {
  const rowCount = columns.slice_set.length;
  if (minGroupSize === null) return Array.from({ length: rowCount }, (_, i) => i);
  const attributeValues = (i: number) => COHORT_SLICE_ATTRIBUTES.map((a) => (columns[a][i] === null ? null : String(columns[a][i])));
  const sameGroup = (i: number, j: number) =>
    columns.slice_set[i] === columns.slice_set[j] && columns.cohort_month[i] === columns.cohort_month[j] && COHORT_SLICE_ATTRIBUTES.every((a) => columns[a][i] === columns[a][j]);
  const runs: { group: CohortGroup; start: number; end: number }[] = [];
  for (let i = 0; i < rowCount; i++) {
    if (i > 0 && sameGroup(i, i - 1)) {
      runs[runs.length - 1].end = i + 1;
      continue;
    }
    const mask = Number(columns.slice_set[i]);
    const cohort = String(columns.cohort_month[i]);
    const values = attributeValues(i);
    // Every member orders in their first month, so a group's first row is offset 0; if not, it counts as empty.
    const first = Number(columns.month_offset[i]) === 0;
    const size = first ? Number(columns.retained_customers[i]) : 0;
    const digest = first ? digestAt(columns, i) : null;
    runs.push({ group: { key: cohortGroupKey(mask, cohort, values), cohort, mask, values, size, digest }, start: i, end: i + 1 });
  }
  const groups = runs.map((r) => r.group);
  const removed = protectedGroups(groups, COHORT_SLICE_ATTRIBUTES.length, minGroupSize, thresholdKey);
  const sent = runs.filter((r) => !removed.has(r.group.key)).flatMap((r) => Array.from({ length: r.end - r.start }, (_, k) => ({ row: r.start + k, group: r.group.key })));
  const cells = sent.map(({ row, group }) => ({ group, offset: Number(columns.month_offset[row]), active: Number(columns.retained_customers[row]), digest: digestAt(columns, row) }));
  for (const i of protectedCells(
    cells,
    groups.filter((g) => !removed.has(g.key)),
    COHORT_SLICE_ATTRIBUTES.length,
    minGroupSize,
    thresholdKey,
  )) {
    // Month 0's active members are the cohort slice's size (at least the minimum), which the page shows.
    if (cells[i].offset !== 0) columns.retained_customers[sent[i].row] = null;
    columns.cohort_revenue[sent[i].row] = null;
  }
  return sent.map((s) => s.row);
}

export interface CohortExtractOptions {
  api: InProcessApi;
  /** Runs SQL on the warehouse and returns its result as columns. */
  readColumns: (sql: string, params: unknown[]) => Promise<Record<string, Column>>;
  minGroupSize: number;
  /** Names the warehouse's rows: it changes when an import changes them (dataVersion.ts). */
  dataVersion: () => string;
  /** The model's members, and the key of the sticky noise /load adds (stickyNoise.ts): the extract's figures get the same. */
  memberIndex: () => Promise<MemberIndex>;
  noise: Buffer;
}

/** An extract for one identity: its ETag (null: not cacheable) and its bytes (null: the caller's copy, named by its ETag, is current). */
export interface ExtractAnswer {
  etag: string | null;
  bytes: Uint8Array | null;
  /** For roles under suppression: the minimum group size the extract holds to. */
  minGroupSize: number | null;
}

/**
 * The cohort extract for each identity. One read from rollups is built once per rollup version
 * and scope (ExtractCache); `warm` builds identities' extracts before their first visit.
 */
export class CohortExtracts {
  private readonly cache = new ExtractCache(EXTRACT_CACHE_BYTES);

  constructor(private readonly options: CohortExtractOptions) {}

  async answer(context: SecurityContext, ifNoneMatch?: string): Promise<ExtractAnswer> {
    const { api, readColumns, minGroupSize, dataVersion, memberIndex, noise } = this.options;
    // Cube's SQL for the extract under this identity, reading the rollups it matched.
    const source = await api.readPlan(context, COHORT_ACTIVITY);
    const threshold = needsSuppression(context) ? minGroupSize : null;
    const sql = slicesSql(source.sql, source.aliasOf, threshold);
    const build = async () => {
      const columns = (await readColumns(sql, source.params)) as ExtractColumns;
      const rows = rowsToSend(columns, threshold, noise);
      if (threshold !== null) addExtractNoise(columns, rows, EXTRACT_SHAPE, context, await memberIndex(), noise, threshold);
      const { retained_digest: _digest, ...sent } = columns;
      return columnsToArrow(sent, TEXT_COLUMNS, rows);
    };
    // Without rollups nothing says when the rows change: such an extract is built every time.
    if (!source.readsRollups) return { etag: null, bytes: await build(), minGroupSize: threshold };
    const key = ExtractCache.key([sql, source.params]);
    // The same request on the same rows: Cube's SQL before its rollup tables are named, and the threshold.
    const scope = ExtractCache.key([dataVersion(), source.cubeSql, source.params, threshold]);
    const current = `"${this.cache.servedKey(key, scope)}"`;
    if (ifNoneMatch === current) return { etag: current, bytes: null, minGroupSize: threshold };
    const { key: served, bytes } = await this.cache.get(key, scope, build);
    return { etag: `"${served}"`, bytes, minGroupSize: threshold };
  }

  /** Builds these identities' extracts one after another (failures are the caller's to log). */
  async warm(contexts: SecurityContext[]): Promise<void> {
    for (const context of contexts) await this.answer(context);
  }
}

/**
 * `/api/extracts/cohort-activity`: the Arrow table the browser slices with DuckDB-WASM. For
 * roles under small-group suppression the threshold holds in what is sent (no row describes
 * a cohort slice of fewer members than the minimum), and `X-Min-Group-Size` tells the page
 * to show "< N" where a cohort is missing from a slice. A cached extract is revalidated by ETag (304).
 */
export function extractRoutes(extracts: CohortExtracts, apiSecret: string): Router {
  const router = express.Router();
  router.get('/extracts/:name', async (req: Request, res, next) => {
    try {
      const context = verifyApiToken(apiSecret, req.headers.authorization);
      if (req.params.name !== 'cohort-activity') {
        res.status(404).json({ error: `No extract "${String(req.params.name).slice(0, 60)}"; available: cohort-activity.` });
        return;
      }
      const { etag, bytes, minGroupSize } = await extracts.answer(context, req.headers['if-none-match']);
      if (res.writableEnded || res.destroyed) return;
      res.set(etag ? { ETag: etag, 'Cache-Control': 'private, no-cache' } : { 'Cache-Control': 'private, no-store' });
      if (!bytes) {
        res.status(304).end();
        return;
      }
      res.set({ 'Content-Type': 'application/vnd.apache.arrow.stream', 'Content-Length': String(bytes.byteLength) });
      if (minGroupSize !== null) res.set('X-Min-Group-Size', String(minGroupSize));
      res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (e) {
      if (e instanceof TokenError || e instanceof QueryFailed) res.status(e.status).json({ error: e.message });
      else next(e);
    }
  });
  return router;
}
