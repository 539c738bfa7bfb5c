import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateWarehouse } from '../../seeds/generate.js';
import { startServer, type RunningServer } from '../../cube/server.js';
import { TEST_SECRET, tokenFor } from '../support/apiClient.js';
import { tempDir } from '../support/duckdbFile.js';

// Issue 19, item 7: one user must not stall the other tenants. A t01 marketer floods the API
// with distinct heavy cohort queries, dropping each after 200 ms, 10 at a time, as the report
// did; meanwhile a t02 executive opens the board. Warehouse: 30,000 generated customers, where
// one of these cohort queries (raw member-month grid, no rollup answers it) takes about 0.7 s
// alone and a board query (from its rollup) about 20 ms.
const tmp = tempDir('crm-fairness-');
const run = promisify(execFile);
const MARKETER = tokenFor({ tenant_id: 't01', role: 'marketer', sub: 'marketer.t01' }, '1h');
const EXECUTIVE = tokenFor({ tenant_id: 't02', role: 'executive', sub: 'executive.t02' }, '1h');

/** The board's revenue tile for a period ending on a different day each time: never in Cube's cache. */
let boardDay = 0;
function boardQuery() {
  boardDay++;
  const end = new Date(Date.UTC(2026, 9, 31) - boardDay * 86_400_000).toISOString().slice(0, 10);
  return { measures: ['executive_kpis.revenue'], timeDimensions: [{ dimension: 'executive_kpis.ordered_at', dateRange: ['2025-11-01', end] }] };
}

/** Cohort sizes and revenue by region over calendar months up to day `i`: only categories and a day-grain date range, so a marketer may send it; no rollup has `cohorts.month`, so each reads the member-month grid. */
function heavyQuery(i: number) {
  const end = new Date(Date.UTC(2026, 9, 31) - i * 86_400_000).toISOString().slice(0, 10);
  return { measures: ['cohorts.cohort_customers', 'cohorts.cohort_revenue'], dimensions: ['cohorts.region'], timeDimensions: [{ dimension: 'cohorts.month', dateRange: ['2024-01-01', end] }] };
}

const loadUrl = (url: string, query: unknown) => `${url}/cubejs-api/v1/load?query=${encodeURIComponent(JSON.stringify(query))}`;

/** Milliseconds until /load answers (asking again on "Continue wait", as the web app does), or Infinity after `limitMs`. */
async function timedLoad(url: string, query: unknown, token: string, limitMs = 60_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    const res = await fetch(loadUrl(url, query), { headers: { Authorization: token }, signal: AbortSignal.timeout(limitMs) }).catch(() => null);
    if (!res) break;
    const body = await res.json();
    if (res.status === 200 && body.error === 'Continue wait') continue;
    expect(res.status, JSON.stringify(body)).toBe(200);
    return performance.now() - started;
  }
  return Infinity;
}

/** Fetches the URLs (argv[1], JSON) with the token (argv[2]), `parallel` at a time, dropping each request after `dropAfterMs`. */
const FLOOD_CLIENT = `(async () => {
  const urls = JSON.parse(process.argv[1]);
  const [parallel, dropAfterMs] = [Number(process.argv[3]), Number(process.argv[4])];
  let next = 0;
  const worker = async () => {
    while (next < urls.length) {
      const url = urls[next++];
      await fetch(url, { headers: { Authorization: process.argv[2] }, signal: AbortSignal.timeout(dropAfterMs) }).then((r) => r.text()).catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
})()`;

/**
 * The report's flood: `total` distinct heavy queries, `parallel` at a time, each request dropped
 * after `dropAfterMs`. From a process of its own, like the report's client: its 200 ms are
 * then 200 ms, whatever the server's thread is doing.
 */
async function flood(url: string, total = 150, parallel = 10, dropAfterMs = 200): Promise<void> {
  const urls = Array.from({ length: total }, (_, i) => loadUrl(url, heavyQuery(i)));
  await run(process.execPath, ['-e', FLOOD_CLIENT, JSON.stringify(urls), MARKETER, String(parallel), String(dropAfterMs)]);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let server: RunningServer;

beforeAll(async () => {
  const warehouse = path.join(tmp.dir, 'warehouse.duckdb');
  await generateWarehouse({ out: warehouse, customers: 30_000 });
  server = await startServer({ warehouse, apiSecret: TEST_SECRET, port: 0, webDist: null, refreshIntervalSeconds: 0 });
  // The board's rollup is built by its first query, and each query shape compiled once.
  await timedLoad(server.url, boardQuery(), EXECUTIVE);
  await timedLoad(server.url, heavyQuery(1000), MARKETER);
}, 120_000);

afterAll(async () => {
  await server?.close();
  tmp.remove();
});

describe('a marketer flooding the API with heavy queries they drop', () => {
  it("leaves another tenant's board query within twice its own time, and their dropped queries stop in DuckDB", async () => {
    const baselines: number[] = [];
    for (let i = 0; i < 5; i++) baselines.push(await timedLoad(server.url, boardQuery(), EXECUTIVE));
    const baseline = median(baselines);
    // Twice the baseline, but at least the baseline and 1 s: a 20 ms baseline on a machine
    // shared with other work would otherwise fail on scheduling noise alone.
    const limit = Math.max(2 * baseline, baseline + 1000);

    let peakRunning = 0;
    let flooding = true;
    const sampler = (async () => {
      while (flooding) {
        peakRunning = Math.max(peakRunning, server.warehouseQueries());
        await sleep(50);
      }
    })();
    const floodStarted = performance.now();
    let floodMs = 0;
    const floodDone = flood(server.url).then(() => {
      floodMs = performance.now() - floodStarted;
      flooding = false;
    });
    // The executive opens the board 1 s into the flood, and again as each answer comes, until the
    // flood has been sent (at least 3 times).
    await sleep(1000);
    const underFlood: number[] = [];
    while (flooding || underFlood.length < 3) underFlood.push(await timedLoad(server.url, boardQuery(), EXECUTIVE));
    await floodDone;
    await sampler;

    // Nobody waits for the marketer's queries any more: soon none runs in DuckDB. Requests the
    // client dropped are still read for a moment after it stopped sending, on a busy machine.
    const sentAt = performance.now();
    while (server.warehouseQueries() > 0 && performance.now() - sentAt < 10_000) await sleep(100);
    const idleAfterMs = performance.now() - sentAt;

    console.log(
      `[fairness] board baseline ${baselines.map((ms) => ms.toFixed(0)).join('/')} ms (median ${baseline.toFixed(0)}); ` +
        `under the flood ${underFlood.map((ms) => ms.toFixed(0)).join('/')} ms (median ${median(underFlood).toFixed(0)}, limit ${limit.toFixed(0)}); ` +
        `flood sent in ${(floodMs / 1000).toFixed(1)} s; peak warehouse queries ${peakRunning}; none running ${(idleAfterMs / 1000).toFixed(1)} s after`,
    );
    expect(median(underFlood)).toBeLessThanOrEqual(limit);
    // None near the report's 82-103 s: a single late answer on a shared machine is not a stall.
    expect(Math.max(...underFlood)).toBeLessThanOrEqual(3000);
    // Cube's 4 slots at most: before, each dropped query Cube gave up on after 15 s went on
    // running outside them (10 to 12 at once were seen).
    expect(peakRunning).toBeLessThanOrEqual(4);
    expect(server.warehouseQueries()).toBe(0);
  }, 240_000);
});
