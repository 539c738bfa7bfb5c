/**
 * The board's queries through the real API, as the board sends them on a visit, for an admin
 * (all tenants, no suppression) and an executive (one tenant, small-group suppression): with
 * the model's rollups and without them (the same model with `pre_aggregations` removed), each
 * on its own copy of one warehouse. Per query: cache misses (each run changes the query's limit,
 * or for a query with its own limit the end of its date range, far beyond the data: same
 * figures, new cache key and the same rollup) and cache hits (the same query again), after a
 * first run that builds any rollup it needs.
 */
import { copyFileSync, cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SecurityContext } from '../../cube/auth/securityContext.js';
import { REPO_ROOT } from '../../cube/paths.js';
import { startServer } from '../../cube/server.js';
import { lastDayOf } from '../../web/src/board/boardQueries.js';
import { cohortMatrixQuery } from '../../web/src/cohorts/cohortQueries.js';
import { load, TEST_SECRET, tokenFor } from '../support/apiClient.js';
import { loadWithRollups } from '../support/rollupsServing.js';
import { tempDir } from '../support/duckdbFile.js';
import { boardLastDayQuery, boardVisitQueries, type NamedQuery } from './boardQueries.js';
import { result, timing, type BenchResult } from './results.js';

const IDENTITIES: { name: string; context: SecurityContext }[] = [
  { name: 'admin', context: { tenant_id: '*', role: 'admin' } },
  { name: 'executive', context: { tenant_id: 't01', role: 'executive' } },
];

/** A run this slow (no rollup on a big warehouse) is repeated 3 times, not `runs` times. */
const SLOW_MS = 2000;

interface QueryTimes {
  name: string;
  preAggregated: boolean;
  firstMs: number;
  hit: number[];
  miss: number[];
}

function stripPreAggregations(dir: string): void {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) stripPreAggregations(full);
    else if (name.endsWith('.yml')) writeFileSync(full, readFileSync(full, 'utf8').replace(/\n {4}pre_aggregations:[\s\S]*$/, '\n'));
  }
}

type Query = Record<string, any>;

/** The same figures under a new cache key, without changing which rollup can serve the query. */
function uncachedVariant(query: Query, n: number): Query {
  if (query.limit === undefined) return { ...query, limit: 10_000 - n };
  const [first, ...rest] = query.timeDimensions;
  return { ...query, timeDimensions: [{ ...first, dateRange: ['2000-01-01', `${2100 + n}-12-31`] }, ...rest] };
}

async function timed(url: string, query: Query, token: string, name: string): Promise<{ ms: number; body: any }> {
  const t0 = performance.now();
  const { status, body } = await load(url, query, token);
  const ms = performance.now() - t0;
  if (status !== 200) throw new Error(`${name}: HTTP ${status} ${JSON.stringify(body)}`);
  return { ms, body };
}

/** The board's queries for one identity, as its /meta shows the model, and the cohort matrix. */
async function queriesFor(url: string, token: string, multiTenant: boolean): Promise<NamedQuery[]> {
  const meta = await (await fetch(`${url}/cubejs-api/v1/meta`, { headers: { Authorization: token } })).json();
  const { query, lastDayMeasure } = boardLastDayQuery(meta);
  const { body } = await timed(url, query, token, 'last day');
  const lastDay = lastDayOf(body.data, lastDayMeasure);
  if (!lastDay) throw new Error('The warehouse has no orders.');
  return [...boardVisitQueries(meta, multiTenant, lastDay), { name: 'cohort matrix (cohort page)', query: cohortMatrixQuery() }];
}

async function measure(warehouse: string, modelPath: string, runs: number, log: (line: string) => void): Promise<Map<string, QueryTimes[]>> {
  const server = await startServer({ warehouse, apiSecret: TEST_SECRET, port: 0, modelPath, webDist: null, refreshIntervalSeconds: 0 });
  const out = new Map<string, QueryTimes[]>();
  try {
    for (const identity of IDENTITIES) {
      // Valid for the whole run: raw queries on a big warehouse take many minutes in all.
      const token = tokenFor(identity.context, '24h');
      const times: QueryTimes[] = [];
      for (const { name, query } of await queriesFor(server.url, token, identity.context.tenant_id === '*')) {
        const first = await timed(server.url, query, token, name); // builds any rollup it needs
        const repeat = first.ms > SLOW_MS ? Math.min(runs, 3) : runs;
        const hit: number[] = [];
        const miss: number[] = [];
        for (let i = 0; i < repeat; i++) {
          miss.push((await timed(server.url, uncachedVariant(query, i), token, name)).ms);
          hit.push((await timed(server.url, query, token, name)).ms);
        }
        // Read from the audit trail, untimed: answers do not name the rollups that served them.
        const preAggregated = (await loadWithRollups(server.url, query, token)).rollups.length > 0;
        times.push({ name, preAggregated, firstMs: first.ms, hit, miss });
        log(
          `  ${identity.name} ${name}: miss ${timing(miss).median.toFixed(1)} ms, hit ${timing(hit).median.toFixed(1)} ms${preAggregated ? ', rollup' : ''} (${repeat} runs, first ${first.ms.toFixed(0)} ms)`,
        );
      }
      out.set(identity.name, times);
    }
  } finally {
    await server.close();
  }
  return out;
}

/**
 * Per identity and query: rollup vs raw (cache misses), cache hit vs miss; and per query, the
 * executive (suppressed) against the admin on the same model.
 */
export async function boardLatency(sourceWarehouse: string, size: string, runs = 20, log: (line: string) => void = () => {}): Promise<BenchResult[]> {
  const tmp = tempDir('crm-bench-');
  try {
    const withModel = path.join(REPO_ROOT, 'model');
    const plainModel = path.join(tmp.dir, 'model');
    cpSync(withModel, plainModel, { recursive: true });
    stripPreAggregations(plainModel);
    const a = path.join(tmp.dir, 'a.duckdb');
    const b = path.join(tmp.dir, 'b.duckdb');
    copyFileSync(sourceWarehouse, a);
    copyFileSync(sourceWarehouse, b);
    const rollups = await measure(a, withModel, runs, log);
    const raw = await measure(b, plainModel, runs, log);
    const results: BenchResult[] = [];
    const perQuery = (benchmark: string, peerName: string, figures: (q: QueryTimes, who: string) => [number[], number[]]) => {
      for (const { name: who } of IDENTITIES) {
        for (const q of rollups.get(who)!) {
          const [own, peer] = figures(q, who);
          results.push(result(benchmark, `${who}: ${q.name}`, size, 'ms', timing(own), peerName, timing(peer), q.preAggregated ? undefined : 'no rollup'));
        }
      }
    };
    perQuery('board query: rollup vs raw (cache miss)', 'raw', (q, who) => [q.miss, raw.get(who)!.find((r) => r.name === q.name)!.miss]);
    perQuery('board query: cache hit vs miss (rollups)', 'miss', (q) => [q.hit, q.miss]);
    const [admin, suppressed] = IDENTITIES.map(({ name }) => rollups.get(name)!);
    for (const q of suppressed) {
      const peer = admin.find((r) => r.name === q.name);
      if (peer)
        results.push(result('board query: executive vs admin (cache miss, rollups)', q.name, size, 'ms', timing(q.miss), 'admin', timing(peer.miss), q.preAggregated ? undefined : 'no rollup'));
    }
    return results;
  } finally {
    tmp.remove();
    rmSync(`${sourceWarehouse}.wal`, { force: true });
  }
}
