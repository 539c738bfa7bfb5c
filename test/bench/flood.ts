/**
 * Issue 19, item 7 as a benchmark: another tenant's board query alone, and while one user
 * floods the API with distinct heavy queries dropped after 200 ms (150, 10 at a time). The
 * server runs in its own process (load.ts), as in production.
 */
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { tokenFor } from '../support/apiClient.js';
import { tempDir } from '../support/duckdbFile.js';
import { boardQuery, flood, heavyQuery, timedLoad } from '../support/flood.js';
import { ServerProcess } from './load.js';
import { result, timing, type BenchResult } from './results.js';

const MARKETER = tokenFor({ tenant_id: 't01', role: 'marketer', sub: 'marketer.t01' }, '2h');
const EXECUTIVE = tokenFor({ tenant_id: 't02', role: 'executive', sub: 'executive.t02' }, '2h');

export async function floodBenchmark(sourceWarehouse: string, size: string, runs: number): Promise<BenchResult[]> {
  const tmp = tempDir('crm-flood-');
  const warehouse = path.join(tmp.dir, 'flood.duckdb');
  copyFileSync(sourceWarehouse, warehouse);
  const server = await ServerProcess.start(warehouse);
  try {
    let day = 0;
    // The board's rollup is built by its first query, and each query shape compiled once.
    await timedLoad(server.url, boardQuery(day++), EXECUTIVE);
    await timedLoad(server.url, heavyQuery(1000), MARKETER);
    const alone: number[] = [];
    for (let i = 0; i < runs; i++) alone.push(await timedLoad(server.url, boardQuery(day++), EXECUTIVE));
    let flooding = true;
    const started = performance.now();
    const sent = flood(server.url, MARKETER).then(() => {
      flooding = false;
    });
    const underFlood: number[] = [];
    // From the flood's start until its last request is sent, and at least `runs` times.
    while (flooding || underFlood.length < runs) underFlood.push(await timedLoad(server.url, boardQuery(day++), EXECUTIVE));
    await sent;
    const note = `t02 executive's uncached board query; t01 marketer's 150 heavy cohort queries, 10 at a time, each dropped after 200 ms, sent in ${((performance.now() - started) / 1000).toFixed(1)} s`;
    return [result('API flood', 'board query under the flood (other tenant)', size, 'ms', timing(underFlood), 'alone', timing(alone), note)];
  } finally {
    await server.stop();
    tmp.remove();
  }
}
