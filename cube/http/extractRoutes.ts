import { tableFromArrays, tableToIPC } from 'apache-arrow';
import express, { type Request, type Router } from 'express';
import { TokenError, verifyApiToken } from '../auth/tokens.js';
import { selfUrl } from './selfUrl.js';

/**
 * The customer-grain extracts the browser slices with DuckDB-WASM. Each is a Cube query: the
 * server asks its own API for the query's SQL with the caller's token (so tenant scope and
 * personal-data rules apply exactly as for /load), runs that SQL, and sends Arrow IPC.
 */
export const EXTRACTS = {
  // One row per member and month they ordered in, with the attributes the cohort page slices by.
  'cohort-activity': {
    measures: ['cohorts.cohort_revenue'],
    dimensions: ['cohorts.customer_id', 'cohorts.month_offset', 'cohorts.signup_channel', 'cohorts.region', 'cohorts.tier', 'cohorts.age_band', 'cohorts.gender'],
    timeDimensions: [{ dimension: 'cohorts.cohort_month', granularity: 'month' }],
    filters: [{ member: 'cohorts.is_active', operator: 'equals', values: ['true'] }],
    limit: 5_000_000,
  },
} as const;

type Row = Record<string, unknown>;

/** `cohorts__cohort_month_month` → `cohort_month`, `cohorts__region` → `region`. */
function columnName(alias: string): string {
  return alias.replace(/^[a-z_]+?__/, '').replace(/_(day|week|month|quarter|year)$/, '');
}

function toArrow(rows: Row[]): Uint8Array {
  const names = Object.keys(rows[0] ?? {});
  const columns: Record<string, Float64Array | (string | null)[]> = {};
  for (const name of names) {
    const values = rows.map((r) => r[name]);
    const numeric = values.every((v) => v === null || (typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) && !/^\d{4}-\d{2}-\d{2}T/.test(v)) || typeof v === 'number');
    columns[columnName(name)] = numeric ? Float64Array.from(values, (v) => (v === null ? Number.NaN : Number(v))) : values.map((v) => (v === null ? null : String(v).slice(0, 10)));
  }
  return tableToIPC(tableFromArrays(columns as Record<string, Float64Array | string[]>), 'stream');
}

export function extractRoutes(runSql: (sql: string, params: unknown[]) => Promise<Row[]>, apiSecret: string): Router {
  const router = express.Router();
  router.get('/extracts/:name', async (req: Request, res) => {
    try {
      verifyApiToken(apiSecret, req.headers.authorization);
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
      const ipc = toArrow(await runSql(sql, params));
      res.set({ 'Content-Type': 'application/vnd.apache.arrow.stream', 'Content-Length': String(ipc.byteLength), 'Cache-Control': 'private, no-store' }).end(Buffer.from(ipc));
    } catch (e) {
      if (e instanceof TokenError) res.status(e.status).json({ error: e.message });
      else res.status(500).json({ error: `The extract could not be produced: ${(e as Error).message.split('\n')[0]}` });
    }
  });
  return router;
}
