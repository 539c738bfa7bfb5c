/**
 * `npm run bench [-- --customers 1000000 --slice-customers 200000 --runs 20 --load-clients 50 --load-seconds 60]`:
 * seed throughput, board API latency with vs without rollups, API load (concurrent clients,
 * cached and uncached), and browser timings, each figure beside a ratio against a baseline
 * measured in the same run. `--quick`: small sizes and short runs (a smoke test of the
 * benchmarks); `--soak`: adds a 10-minute soak to the load benchmark, with memory over time.
 */
import '../../cube/productionEnv.js';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateWarehouse } from '../../seeds/generate.js';
import { tempDir } from '../support/duckdbFile.js';
import { boardLatency } from './boardLatency.js';
import { browserTimings } from './browserTimings.js';
import { loadBenchmark } from './load.js';

const { values } = parseArgs({
  options: {
    customers: { type: 'string' }, runs: { type: 'string' }, 'slice-customers': { type: 'string' },
    'load-clients': { type: 'string' }, 'load-seconds': { type: 'string' }, quick: { type: 'boolean', default: false }, soak: { type: 'boolean', default: false },
  },
});
const quick = values.quick;
const customers = Number(values.customers ?? (quick ? 20_000 : 1_000_000));
const runs = Number(values.runs ?? (quick ? 3 : 20));
const loadClients = Number(values['load-clients'] ?? (quick ? 10 : 50));
const loadSeconds = Number(values['load-seconds'] ?? (quick ? 5 : 60));
const tmp = tempDir('crm-bench-');

try {
  console.log(`# Seed throughput (2 tenants, 3 years), baseline: 50,000 customers`);
  const small = await generateWarehouse({ out: path.join(tmp.dir, 'small.duckdb'), customers: 50_000 });
  const big = path.join(tmp.dir, 'big.duckdb');
  const large = await generateWarehouse({ out: big, customers });
  const rate = (s: typeof small, n: number) => n / s.seconds;
  console.log(`50,000 customers: ${small.seconds.toFixed(1)} s, ${Math.round(rate(small, 50_000)).toLocaleString('en-US')} customers/s, ${Math.round(small.rows.order_items / small.seconds).toLocaleString('en-US')} order lines/s`);
  console.log(`${customers.toLocaleString('en-US')} customers: ${large.seconds.toFixed(1)} s, ${Math.round(rate(large, customers)).toLocaleString('en-US')} customers/s, ` +
    `${Math.round(large.rows.order_items / large.seconds).toLocaleString('en-US')} order lines/s (${large.rows.order_items.toLocaleString('en-US')} lines); throughput ratio vs 50k x${(rate(large, customers) / rate(small, 50_000)).toFixed(2)}`);

  console.log(`\n# Board API latency on ${customers.toLocaleString('en-US')} customers: median of ${runs} warm runs, with vs without rollups`);
  for (const line of await boardLatency(big, runs)) console.log(line);

  console.log(`\n# API load on ${customers.toLocaleString('en-US')} customers: board and cohort queries, cached and uncached${values.soak ? ', then a 10-minute soak' : ''}`);
  for (const line of await loadBenchmark(big, { clients: loadClients, seconds: loadSeconds, soakMinutes: values.soak ? 10 : 0 })) console.log(line);

  const sliceCustomers = Number(values['slice-customers'] ?? (quick ? 20_000 : 200_000));
  console.log(`\n# In Chromium on ${sliceCustomers.toLocaleString('en-US')} customers`);
  const sliceWarehouse = path.join(tmp.dir, 'slice.duckdb');
  await generateWarehouse({ out: sliceWarehouse, customers: sliceCustomers });
  for (const line of await browserTimings(sliceWarehouse)) console.log(line);
} finally {
  tmp.remove();
}
