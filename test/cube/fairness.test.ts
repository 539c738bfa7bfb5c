import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateWarehouse } from '../../seeds/generate.js';
import { startServer, type RunningServer } from '../../cube/server.js';
import { load, TEST_SECRET, tokenFor } from '../support/apiClient.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { boardQuery, flood, heavyQuery, median, timedLoad } from '../support/flood.js';
import { EVENTS_SQL, FIXTURE_MODEL } from './fixtures.js';
import { slowCube, slowQuery } from '../support/slowCube.js';

// Issue 19, item 7: one user must not stall the other tenants. A t01 marketer floods the API
// with 150 distinct heavy cohort queries, dropping each after 200 ms, 10 at a time, as the
// report did; meanwhile a t02 executive opens the board. Warehouse: 30,000 generated customers,
// where one of these cohort queries takes about 0.7 s alone and a board query (from its
// rollup) 20 to 50 ms.
const tmp = tempDir('crm-fairness-');
const MARKETER = tokenFor({ tenant_id: 't01', role: 'marketer', sub: 'marketer.t01' }, '1h');
const EXECUTIVE = tokenFor({ tenant_id: 't02', role: 'executive', sub: 'executive.t02' }, '1h');

/** A board query no earlier one was: Cube's cache never answers it. */
let boardDay = 0;
const nextBoardQuery = () => boardQuery(++boardDay);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let server: RunningServer;

beforeAll(async () => {
  const warehouse = path.join(tmp.dir, 'warehouse.duckdb');
  await generateWarehouse({ out: warehouse, customers: 30_000 });
  server = await startServer({ warehouse, apiSecret: TEST_SECRET, port: 0, webDist: null, refreshIntervalSeconds: 0 });
  // The board's rollup is built by its first query, and each query shape compiled once.
  await timedLoad(server.url, nextBoardQuery(), EXECUTIVE);
  await timedLoad(server.url, heavyQuery(1000), MARKETER);
}, 120_000);

afterAll(async () => {
  await server?.close();
  tmp.remove();
});

describe('a marketer flooding the API with heavy queries they drop', () => {
  it("leaves another tenant's board query within twice its own time (or 1 s more), and their dropped queries stop in DuckDB", async () => {
    const baselines: number[] = [];
    for (let i = 0; i < 5; i++) baselines.push(await timedLoad(server.url, nextBoardQuery(), EXECUTIVE));
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
    const floodDone = flood(server.url, MARKETER).then(() => {
      floodMs = performance.now() - floodStarted;
      flooding = false;
    });
    // The executive opens the board 1 s into the flood, and again as each answer comes, until the
    // flood has been sent (at least 3 times).
    await sleep(1000);
    const underFlood: number[] = [];
    while (flooding || underFlood.length < 3) underFlood.push(await timedLoad(server.url, nextBoardQuery(), EXECUTIVE));
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

describe('the queue shares the warehouse by tenant and user', () => {
  it("runs one user's queries 2 at a time, and another tenant's query in the slot left free", async () => {
    const warehouse = path.join(tmp.dir, 'events.duckdb');
    await createDuckDBFile(warehouse, EVENTS_SQL);
    const modelPath = path.join(tmp.dir, 'slow-model');
    cpSync(FIXTURE_MODEL, modelPath, { recursive: true });
    writeFileSync(path.join(modelPath, 'slow.yml'), slowCube(1500, ['t01', 't02']));
    const slow = await startServer({ warehouse, apiSecret: TEST_SECRET, port: 0, modelPath, webDist: null, refreshIntervalSeconds: 0 });
    try {
      const a = tokenFor({ tenant_id: 't01', role: 'admin', sub: 'admin.t01' });
      const b = tokenFor({ tenant_id: 't02', role: 'admin', sub: 'admin.t02' });
      const started = performance.now();
      const timed = (query: object, token: string) => load(slow.url, query, token).then(({ body }) => ({ ms: performance.now() - started, body }));
      // t01's admin asks for four at once; t02's admin for one, 200 ms later.
      const fromA = [0, 1, 2, 3].map((i) => timed(slowQuery(i), a));
      await sleep(200);
      const fromB = await timed(slowQuery(4), b);
      const answersA = await Promise.all(fromA);
      console.log(`[fairness] t01 admin's four answered after ${answersA.map((r) => (r.ms / 1000).toFixed(1)).join('/')} s; t02 admin's one after ${(fromB.ms / 1000).toFixed(1)} s`);
      expect(fromB.body.data).toEqual([{ 'slow.count': '1' }]);
      // One sleep (1.5 s from 0.2 s): the slot t01 may not take. First come, first served, it
      // waited for one of t01's four to finish (3 s or more).
      expect(fromB.ms).toBeLessThan(2700);
      // t01's four: two by 1.5 s, the other two 1.5 s later.
      const times = answersA.map((r) => r.ms).sort((x, y) => x - y);
      expect(times[1]).toBeLessThan(2700);
      expect(times[2]).toBeGreaterThanOrEqual(3000);
    } finally {
      await slow.close();
    }
  }, 60_000);
});
