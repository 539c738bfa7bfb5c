/**
 * `npm run bench [-- options]` (options.ts, `--help`): seed throughput, board API latency with
 * vs without rollups, API load (concurrent clients, cached and uncached), and browser timings,
 * each figure beside a ratio against a baseline measured in the same run.
 */
import '../../cube/productionEnv.js';
import path from 'node:path';
import { BENCH_USAGE, BenchUsageError, parseBenchOptions, type BenchOptions } from './options.js';

let options: BenchOptions;
try {
  options = parseBenchOptions(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof BenchUsageError)) throw e;
  console.error(`${e.message}\n\n${BENCH_USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(BENCH_USAGE);
  process.exit(0);
}
const { customers, runs, loadClients, loadSeconds, sliceCustomers } = options;
// Loaded after the options are read: `--help` answers at once.
const { generateWarehouse } = await import('../../seeds/generate.js');
const { tempDir } = await import('../support/duckdbFile.js');
const { boardLatency } = await import('./boardLatency.js');
const { browserTimings } = await import('./browserTimings.js');
const { loadBenchmark } = await import('./load.js');
const tmp = tempDir('crm-bench-');

try {
  console.log(`# Seed throughput (2 tenants, 3 years), baseline: 50,000 customers`);
  const small = await generateWarehouse({ out: path.join(tmp.dir, 'small.duckdb'), customers: 50_000 });
  const big = path.join(tmp.dir, 'big.duckdb');
  const large = await generateWarehouse({ out: big, customers });
  const rate = (s: typeof small, n: number) => n / s.seconds;
  console.log(
    `50,000 customers: ${small.seconds.toFixed(1)} s, ${Math.round(rate(small, 50_000)).toLocaleString('en-US')} customers/s, ${Math.round(small.rows.order_items / small.seconds).toLocaleString('en-US')} order lines/s`,
  );
  console.log(
    `${customers.toLocaleString('en-US')} customers: ${large.seconds.toFixed(1)} s, ${Math.round(rate(large, customers)).toLocaleString('en-US')} customers/s, ` +
      `${Math.round(large.rows.order_items / large.seconds).toLocaleString('en-US')} order lines/s (${large.rows.order_items.toLocaleString('en-US')} lines); throughput ratio vs 50k x${(rate(large, customers) / rate(small, 50_000)).toFixed(2)}`,
  );

  console.log(`\n# Board API latency on ${customers.toLocaleString('en-US')} customers: median of ${runs} warm runs, with vs without rollups`);
  for (const line of await boardLatency(big, runs)) console.log(line);

  console.log(`\n# API load on ${customers.toLocaleString('en-US')} customers: board and cohort queries, cached and uncached${options.soak ? ', then a 10-minute soak' : ''}`);
  for (const line of await loadBenchmark(big, { clients: loadClients, seconds: loadSeconds, soakMinutes: options.soak ? 10 : 0 })) console.log(line);

  console.log(`\n# In Chromium on ${sliceCustomers.toLocaleString('en-US')} customers`);
  const sliceWarehouse = path.join(tmp.dir, 'slice.duckdb');
  await generateWarehouse({ out: sliceWarehouse, customers: sliceCustomers });
  for (const line of await browserTimings(sliceWarehouse)) console.log(line);
} finally {
  tmp.remove();
}
