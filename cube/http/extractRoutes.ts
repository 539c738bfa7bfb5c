import { tableFromArrays, tableToIPC } from 'apache-arrow';
import express, { type Request, type Router } from 'express';
import { TokenError, verifyApiToken } from '../auth/tokens.js';
import { needsSuppression } from '../policy/accessPolicy.js';
import { selfUrl } from './selfUrl.js';

/**
 * The extracts the browser slices with DuckDB-WASM. Each is a Cube query: the server asks its
 * own API for the query's SQL with the caller's token (so tenant scope and personal-data rules
 * apply exactly as for /load), runs that SQL, and sends Arrow IPC. For roles under small-group
 * suppression the minimum group size goes along in `X-Min-Group-Size`, so the browser hides
 * the same cells the API would.
 */
export const EXTRACTS = {
  // Active members and their revenue per cohort month, month offset and every combination of
  // the attributes the cohort page slices by. Each member has one value of each attribute, so
  // the counts add up across combinations; no customer ids leave the server.
  'cohort-activity': {
    measures: ['cohorts.retained_customers', 'cohorts.cohort_revenue'],
    dimensions: ['cohorts.month_offset', 'cohorts.signup_channel', 'cohorts.region', 'cohorts.tier', 'cohorts.age_band', 'cohorts.gender'],
    timeDimensions: [{ dimension: 'cohorts.cohort_month', granularity: 'month' }],
    filters: [{ member: 'cohorts.is_active', operator: 'equals', values: ['true'] }],
    limit: 5_000_000,
  },
} as const;

type Row = Record<string, unknown>;
type Extract = (typeof EXTRACTS)[keyof typeof EXTRACTS];

/** `cohorts__cohort_month_month` → `cohort_month`, `cohorts__region` → `region`. */
function columnName(alias: string): string {
  return alias.replace(/^[a-z_]+?__/, '').replace(/_(day|week|month|quarter|year)$/, '');
}

/** Only the columns the extract asks for: suppression adds a customer count to every query's SQL. */
function toArrow(rows: Row[], extract: Extract): Uint8Array {
  const wanted = new Set([...extract.measures, ...extract.dimensions, ...extract.timeDimensions.map((t) => t.dimension)].map((m) => m.split('.')[1]));
  const names = Object.keys(rows[0] ?? {}).filter((name) => wanted.has(columnName(name)));
  const columns: Record<string, Float64Array | (string | null)[]> = {};
  for (const name of names) {
    const values = rows.map((r) => r[name]);
    const numeric = values.every((v) => v === null || (typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) && !/^\d{4}-\d{2}-\d{2}T/.test(v)) || typeof v === 'number');
    columns[columnName(name)] = numeric ? Float64Array.from(values, (v) => (v === null ? Number.NaN : Number(v))) : values.map((v) => (v === null ? null : String(v).slice(0, 10)));
  }
  return tableToIPC(tableFromArrays(columns as Record<string, Float64Array | string[]>), 'stream');
}

export function extractRoutes(runSql: (sql: string, params: unknown[]) => Promise<Row[]>, apiSecret: string, minGroupSize: number): Router {
  const router = express.Router();
  router.get('/extracts/:name', async (req: Request, res) => {
    try {
      const context = verifyApiToken(apiSecret, req.headers.authorization);
      const query = EXTRACTS[req.params.name as keyof typeof EXTRACTS];
      if (!query) {
        res.status(404).json({ error: `No extract "${req.params.name}"; available: ${Object.keys(EXTRACTS).join(', ')}.` });
        return;
      }
      const sqlRes = await fetch(`${selfUrl(req)}/cubejs-api/v1/sql?query=${encodeURIComponent(JSON.stringify(query))}`, { headers: { Authorization: req.headers.authorization! } });
      const body = await sqlRes.json();
      if (!sqlRes.ok) {
        res.status(sqlRes.status).json({ error: body.error });
        return;
      }
      const [sql, params] = body.sql.sql as [string, unknown[]];
      const ipc = toArrow(await runSql(sql, params), query);
      res.set({ 'Content-Type': 'application/vnd.apache.arrow.stream', 'Content-Length': String(ipc.byteLength), 'Cache-Control': 'private, no-store' });
      if (needsSuppression(context)) res.set('X-Min-Group-Size', String(minGroupSize));
      res.end(Buffer.from(ipc));
    } catch (e) {
      if (e instanceof TokenError) res.status(e.status).json({ error: e.message });
      else res.status(500).json({ error: `The extract could not be produced: ${(e as Error).message.split('\n')[0]}` });
    }
  });
  return router;
}
