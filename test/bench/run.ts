/**
 * `npm run bench [-- --customers 1000000 --slice-customers 200000 --runs 20]`: seed throughput, board
 * API latency with vs without rollups, and browser timings, each figure beside a ratio against a
 * baseline measured in the same run.
 */
import '../../cube/productionEnv.js';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateWarehouse } from '../../seeds/generate.js';
import { tempDir } from '../support/duckdbFile.js';
import { boardLatency } from './boardLatency.js';
import { browserTimings } from './browserTimings.js';

const { values } = parseArgs({
  options: { customers: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '20' }, 'slice-customers': { type: 'string', default: '200000' } },
});
const customers = Number(values.customers);
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

  console.log(`\n# Board API latency on ${customers.toLocaleString('en-US')} customers: median of ${values.runs} warm runs, with vs without rollups`);
  for (const line of await boardLatency(big, Number(values.runs))) console.log(line);

  const sliceCustomers = Number(values['slice-customers']);
  console.log(`\n# In Chromium on ${sliceCustomers.toLocaleString('en-US')} customers`);
  const sliceWarehouse = path.join(tmp.dir, 'slice.duckdb');
  await generateWarehouse({ out: sliceWarehouse, customers: sliceCustomers });
  for (const line of await browserTimings(sliceWarehouse)) console.log(line);
} finally {
  tmp.remove();
}
