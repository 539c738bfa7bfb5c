/**
 * Load on the REST API: many concurrent clients running the board's and the cohort page's
 * real queries (built with the web app's own query builders) under several tenants' and
 * roles' tokens, against a server in its own process. Each phase runs cached (the same
 * queries again: Cube's result cache) and uncached (every request adds a filter excluding a
 * different non-existent tenant, which changes no figure but defeats the cache, so every
 * request reaches the warehouse or its rollups). Every answer is checked: HTTP 200 without
 * error, and for tenant tokens, no row of another tenant.
 *
 * Baseline, from the same run: one client alone on the same queries. Each figure is printed
 * beside it with the ratio.
 *
 * Standalone: `npx tsx test/bench/load.ts [--customers 50000] [--clients 50] [--seconds 60] [--soak]`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { breakdownQuery, monthlyQuery, periodContaining, periodValueQuery, previousPeriod, type Scope } from '../../web/src/board/boardQueries.js';
import { cohortMatrixQuery } from '../../web/src/cohorts/cohortQueries.js';
import type { SecurityContext } from '../../cube/auth/securityContext.js';
import { tokenFor } from '../support/apiClient.js';
import { tempDir } from '../support/duckdbFile.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The last day of the generated warehouse's data. */
const LAST_DAY = '2026-10-31';

interface Identity {
  name: string;
  context: SecurityContext;
}

const IDENTITIES: Identity[] = [
  { name: 'admin', context: { tenant_id: '*', role: 'admin' } },
  { name: 'marketer t01', context: { tenant_id: 't01', role: 'marketer' } },
  { name: 'marketer t02', context: { tenant_id: 't02', role: 'marketer' } },
  { name: 'executive t01', context: { tenant_id: 't01', role: 'executive' } },
];

interface NamedQuery {
  name: string;
  query: Record<string, any>;
  /** The view's tenant dimension when the query's rows carry it (checked against the token's tenant). */
  tenantColumn?: string;
}

/** The board page's queries for one period (value, previous period, trends, breakdowns) and the cohort matrix. */
export function pageQueries(scope: Scope = {}): NamedQuery[] {
  const month = periodContaining('month', LAST_DAY);
  const previous = previousPeriod(month);
  const kpis = scope.tenant ? { tenantDimension: 'executive_kpis.tenant_id', tenant: scope.tenant } : {};
  const health = scope.tenant ? { tenantDimension: 'customer_health.tenant_id', tenant: scope.tenant } : {};
  return [
    { name: 'revenue (month)', query: periodValueQuery('executive_kpis.revenue', 'executive_kpis.ordered_at', month, kpis) },
    { name: 'revenue (previous month)', query: periodValueQuery('executive_kpis.revenue', 'executive_kpis.ordered_at', previous, kpis) },
    { name: 'active customers (month)', query: periodValueQuery('executive_kpis.active_customers', 'executive_kpis.ordered_at', month, kpis) },
    { name: 'revenue x channel (13 months)', query: monthlyQuery(['executive_kpis.revenue'], 'executive_kpis.ordered_at', LAST_DAY, 13, kpis, ['executive_kpis.channel']) },
    { name: 'revenue by region', query: breakdownQuery('executive_kpis.revenue', 'executive_kpis.region', 'executive_kpis.ordered_at', month, kpis) },
    {
      name: 'as-of KPIs (13 months)',
      query: monthlyQuery(
        ['customer_health.repeat_rate', 'customer_health.churn_rate', 'customer_health.historical_ltv', 'customer_health.f2_conversion_90d'],
        'customer_health.month',
        LAST_DAY,
        13,
        health,
      ),
    },
    {
      name: 'revenue by tenant',
      query: { measures: ['executive_kpis.revenue'], dimensions: ['executive_kpis.tenant_id'], timeDimensions: [{ dimension: 'executive_kpis.ordered_at', dateRange: [month.start, month.end] }] },
      tenantColumn: 'executive_kpis.tenant_id',
    },
    { name: 'cohort matrix', query: cohortMatrixQuery() as Record<string, any> },
  ];
}

/** The same query with a filter that excludes a tenant that does not exist: same figures, new cache key. */
function uncached(query: Record<string, any>, n: number): Record<string, any> {
  const view = String(query.measures[0]).split('.')[0];
  return { ...query, filters: [...(query.filters ?? []), { member: `${view}.tenant_id`, operator: 'notEquals', values: [`none-${n}`] }] };
}

interface PhaseResult {
  requests: number;
  seconds: number;
  latencies: number[];
  /** The first few error messages; `errorCount` counts all. */
  errors: string[];
  errorCount: number;
  foreignRows: number;
  peakRss: number;
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

export class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static start(warehouse: string): Promise<ServerProcess> {
    const child = fork(path.join(HERE, 'loadServer.ts'), [warehouse], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      child.once('message', (m: any) => resolve(new ServerProcess(child, m.url)));
      child.once('exit', (code) => reject(new Error(`load server exited with code ${code}`)));
    });
  }

  rss(): Promise<number> {
    return new Promise((resolve) => {
      const onMessage = (m: any) => {
        if (typeof m?.rss === 'number') {
          this.child.off('message', onMessage);
          resolve(m.rss);
        }
      };
      this.child.on('message', onMessage);
      this.child.send('rss');
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.send('stop');
    });
  }
}

let cacheBuster = 0;

/** One /load through the REST API, waiting out "Continue wait" as the client library does; checks the answer. */
async function loadOnce(url: string, token: string, identity: Identity, q: NamedQuery, cached: boolean): Promise<{ ms: number; error?: string; foreign: number }> {
  const query = cached ? q.query : uncached(q.query, ++cacheBuster);
  const t0 = performance.now();
  for (;;) {
    const res = await fetch(`${url}/cubejs-api/v1/load?query=${encodeURIComponent(JSON.stringify(query))}`, { headers: { Authorization: token } });
    const body: any = await res.json().catch(() => ({ error: 'not JSON' }));
    if (res.status === 200 && body.error === 'Continue wait') continue;
    const ms = performance.now() - t0;
    if (res.status !== 200 || body.error) return { ms, error: `${identity.name} ${q.name}: HTTP ${res.status} ${String(body.error).slice(0, 200)}`, foreign: 0 };
    const own = identity.context.tenant_id;
    const foreign = q.tenantColumn && own !== '*' ? body.data.filter((row: any) => row[q.tenantColumn!] !== own).length : 0;
    return { ms, foreign };
  }
}

async function runPhase(
  server: ServerProcess,
  clients: number,
  seconds: number,
  cached: boolean,
  onInterval?: (elapsed: number, requests: number, rss: number) => void,
  intervalSeconds = 1,
): Promise<PhaseResult> {
  const result: PhaseResult = { requests: 0, seconds, latencies: [], errors: [], errorCount: 0, foreignRows: 0, peakRss: 0 };
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  let stopSampling = false;
  const sampler = (async () => {
    while (!stopSampling) {
      await new Promise((r) => setTimeout(r, intervalSeconds * 1000));
      const rss = await server.rss();
      result.peakRss = Math.max(result.peakRss, rss);
      onInterval?.((performance.now() - started) / 1000, result.requests, rss);
    }
  })();
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      const identity = IDENTITIES[i % IDENTITIES.length];
      const token = tokenFor(identity.context, '2h');
      const queries = pageQueries();
      let k = i; // clients start at different queries
      while (performance.now() < deadline) {
        const q = queries[k++ % queries.length];
        const { ms, error, foreign } = await loadOnce(server.url, token, identity, q, cached);
        result.requests++;
        result.latencies.push(ms);
        result.foreignRows += foreign;
        if (error) {
          result.errorCount++;
          if (result.errors.length < 20) result.errors.push(error);
        }
      }
    }),
  );
  stopSampling = true;
  await sampler;
  result.seconds = (performance.now() - started) / 1000;
  result.peakRss = Math.max(result.peakRss, await server.rss());
  return result;
}

const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const x = (a: number, b: number) => `x${(a / b).toFixed(2)}`;

function summary(r: PhaseResult) {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  return { rps: r.requests / r.seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), errors: r.errorCount };
}

export interface LoadOptions {
  clients?: number;
  seconds?: number;
  /** Minutes of soak (mixed cached/uncached load, memory sampled every 30 s); 0 = none. */
  soakMinutes?: number;
}

/** Runs the load phases on a copy of `sourceWarehouse`; returns report lines, and throws if any answer was wrong. */
export async function loadBenchmark(sourceWarehouse: string, { clients = 50, seconds = 60, soakMinutes = 0 }: LoadOptions = {}): Promise<string[]> {
  const tmp = tempDir('crm-load-');
  const warehouse = path.join(tmp.dir, 'load.duckdb');
  copyFileSync(sourceWarehouse, warehouse);
  const server = await ServerProcess.start(warehouse);
  const lines: string[] = [];
  let errors = 0;
  let foreign = 0;
  const problems: string[] = [];
  try {
    // Warm-up: every query once per identity, cached and not (builds the rollups the queries use).
    for (const identity of IDENTITIES) {
      const token = tokenFor(identity.context, '2h');
      for (const q of pageQueries()) {
        for (const cached of [true, false]) {
          const { error } = await loadOnce(server.url, token, identity, q, cached);
          if (error) throw new Error(`warm-up: ${error}`);
        }
      }
    }
    const idleRss = await server.rss();
    const baselineSeconds = Math.max(3, Math.round(seconds / 6));
    lines.push(
      `${clients} clients x ${seconds} s against 1 client x ${baselineSeconds} s (baseline), identities: ${IDENTITIES.map((i) => i.name).join(', ')}; ${pageQueries().length} board and cohort queries`,
    );
    for (const cached of [true, false]) {
      const label = cached ? 'cached  ' : 'uncached';
      const base = await runPhase(server, 1, baselineSeconds, cached);
      const load = await runPhase(server, clients, seconds, cached);
      for (const r of [base, load]) {
        errors += r.errorCount;
        foreign += r.foreignRows;
        problems.push(...r.errors);
      }
      const b = summary(base);
      const l = summary(load);
      lines.push(
        `${label} ${String(clients).padStart(3)} clients: ${l.rps.toFixed(1).padStart(7)} req/s (1 client ${b.rps.toFixed(1)}, ${x(l.rps, b.rps)})   ` +
          `p50 ${l.p50.toFixed(1)} ms (1 client ${b.p50.toFixed(1)}, ${x(l.p50, b.p50)})   p99 ${l.p99.toFixed(1)} ms (1 client ${b.p99.toFixed(1)}, ${x(l.p99, b.p99)})   ` +
          `peak RSS ${MB(load.peakRss)} (idle ${MB(idleRss)}, ${x(load.peakRss, idleRss)})   ${l.errors} errors in ${load.requests} requests`,
      );
    }

    if (soakMinutes > 0) {
      lines.push(`soak: ${clients} clients x ${soakMinutes} min, half cached, half uncached; RSS every 30 s`);
      const series: string[] = [];
      let lastRequests = 0;
      let lastElapsed = 0;
      const half = Math.ceil(clients / 2);
      const onInterval = (elapsed: number, requests: number, rss: number) => {
        series.push(`  ${elapsed.toFixed(0).padStart(4)} s  RSS ${MB(rss).padStart(7)} (idle ${x(rss, idleRss)})  ${((requests - lastRequests) / (elapsed - lastElapsed)).toFixed(1)} req/s`);
        console.error(series.at(-1));
        lastRequests = requests;
        lastElapsed = elapsed;
      };
      const [a, b] = await Promise.all([runPhase(server, half, soakMinutes * 60, true, onInterval, 30), runPhase(server, clients - half, soakMinutes * 60, false)]);
      for (const r of [a, b]) {
        errors += r.errorCount;
        foreign += r.foreignRows;
        problems.push(...r.errors);
      }
      lines.push(...series);
      const endRss = await server.rss();
      lines.push(`soak end: RSS ${MB(endRss)} (idle ${MB(idleRss)}, ${x(endRss, idleRss)}), ${a.requests + b.requests} requests, ${((a.requests + b.requests) / a.seconds).toFixed(1)} req/s`);
    }
  } finally {
    await server.stop();
    tmp.remove();
  }
  lines.push(`answers checked: ${errors} errors, ${foreign} rows of a foreign tenant`);
  if (errors || foreign) throw new Error(`load benchmark found wrong answers:\n${lines.join('\n')}\n${problems.slice(0, 10).join('\n')}`);
  return lines;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { parseArgs } = await import('node:util');
  const { generateWarehouse } = await import('../../seeds/generate.js');
  const { values } = parseArgs({
    options: { customers: { type: 'string', default: '50000' }, clients: { type: 'string', default: '50' }, seconds: { type: 'string', default: '60' }, soak: { type: 'boolean', default: false } },
  });
  const tmp = tempDir('crm-load-');
  try {
    const file = path.join(tmp.dir, 'w.duckdb');
    await generateWarehouse({ out: file, customers: Number(values.customers) });
    for (const line of await loadBenchmark(file, { clients: Number(values.clients), seconds: Number(values.seconds), soakMinutes: values.soak ? 10 : 0 })) console.log(line);
  } finally {
    tmp.remove();
  }
}
