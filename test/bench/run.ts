/**
 * `npm run bench [-- options]` (options.ts, `--help`): seed throughput, board query latency,
 * API load (concurrent clients, cached and uncached), import and CLV fit, and browser timings, each figure beside a
 * peer measured in the same run. Every figure also goes to the results JSON (`--json`). A
 * benchmark that throws is reported and the others still run; the exit code is then 1, so CI
 * fails on a broken benchmark, never on a slow one.
 */
import '../../cube/productionEnv.js';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../cube/paths.js';
import { BENCH_USAGE, BenchUsageError, parseBenchOptions, type BenchOptions } from './options.js';
import { BenchResults, formatResult, result, timing, type BenchResult } from './results.js';

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
const { importBenchmark } = await import('./importBench.js');
const { clvFitBenchmark } = await import('./clvFit.js');
const { landingBacktest } = await import('./landingBacktest.js');
const { floodBenchmark } = await import('./flood.js');
const tmp = tempDir('crm-bench-');
const results = new BenchResults();
/** Benchmarks that print lines of their own rather than results: kept as printed. */
const printed: Record<string, string[]> = {};
const failures: { benchmark: string; error: string }[] = [];
const started = new Date();
const customersText = (n: number) => `${n.toLocaleString('en-US')} customers`;

function report(rs: BenchResult[]): void {
  let benchmark = '';
  for (const r of rs) {
    if (r.benchmark !== benchmark) console.log(`## ${(benchmark = r.benchmark)}: median / p95 (runs), peer, ratio peer/own`);
    console.log(formatResult(r));
    results.add(r);
  }
}

async function section(title: string, run: () => Promise<BenchResult[] | string[]>): Promise<void> {
  console.log(`\n# ${title}`);
  try {
    const out = await run();
    if (out.every((x) => typeof x === 'string')) {
      printed[title] = out as string[];
      for (const line of out) console.log(line);
    } else report(out as BenchResult[]);
  } catch (e) {
    failures.push({ benchmark: title, error: String((e as Error).stack ?? e) });
    console.error(`FAILED: ${title}\n${(e as Error).stack ?? e}`);
  }
}

function writeResults(): void {
  const file = path.resolve(REPO_ROOT, options.json);
  results.write(file, {
    started: started.toISOString(),
    seconds: Math.round((Date.now() - started.getTime()) / 1000),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGB: Math.round(os.totalmem() / 2 ** 30) },
    options,
    printed,
    failures,
  });
  console.log(`\nResults: ${path.relative(REPO_ROOT, file)}`);
}

try {
  const big = path.join(tmp.dir, 'big.duckdb');
  const baseline = options.quick ? 5_000 : 50_000;
  await section(`Seed throughput (2 tenants, 3 years): ${customersText(customers)} against ${customersText(baseline)}`, async () => {
    const small = await generateWarehouse({ out: path.join(tmp.dir, 'small.duckdb'), customers: baseline });
    const large = await generateWarehouse({ out: big, customers });
    // Time per 1,000 customers: a ratio near 1 means generation time grows linearly.
    const per1000 = (s: typeof small, n: number) => timing([(s.seconds / n) * 1000 * 1000]);
    const lines = `${large.rows.order_items.toLocaleString('en-US')} order lines in ${large.seconds.toFixed(1)} s`;
    return [
      result('warehouse generation (one run each)', 'ms per 1,000 customers', customersText(customers), 'ms', per1000(large, customers), customersText(baseline), per1000(small, baseline), lines),
    ];
  });
  await section(`Board queries on ${customersText(customers)}: admin and executive (suppressed), rollups vs raw, cache hit vs miss`, () =>
    boardLatency(big, customersText(customers), runs, (line) => console.error(line)),
  );
  await section(`API load on ${customersText(customers)}: board and cohort queries, cached and uncached${options.soak ? ', then a 10-minute soak' : ''}`, () =>
    loadBenchmark(big, { clients: loadClients, seconds: loadSeconds, soakMinutes: options.soak ? 10 : 0 }),
  );
  await section(`One user's flood of dropped heavy queries on ${customersText(customers)}: another tenant's board query under it, against alone`, () =>
    floodBenchmark(big, customersText(customers), runs),
  );
  const fitCustomers = options.quick ? 20_000 : 100_000;
  await section(`Import of Online Retail, and the CLV fit on ${customersText(fitCustomers)} against 10,000`, () => importBenchmark({ fitCustomers, log: (line) => console.error(line) }));
  const simulated = options.quick ? 50_000 : 1_000_000;
  await section(`CLV fit + predict on ${customersText(simulated)} drawn from BG/NBD (in memory), against 10,000`, async () => clvFitBenchmark(simulated));
  await section(`Landing forecast made at month 6 of the last closed fiscal year, error against its actual (${customersText(baseline)}), against the run rate and last year`, () =>
    landingBacktest(path.join(tmp.dir, 'small.duckdb')),
  );
  await section(`In Chromium on ${customersText(sliceCustomers)}`, async () => {
    const sliceWarehouse = path.join(tmp.dir, 'slice.duckdb');
    await generateWarehouse({ out: sliceWarehouse, customers: sliceCustomers });
    return browserTimings(sliceWarehouse);
  });
} finally {
  tmp.remove();
  writeResults();
}
if (failures.length) {
  console.error(`\n${failures.length} benchmark(s) failed: ${failures.map((f) => f.benchmark).join('; ')}`);
  process.exit(1);
}
