import { parseArgs } from 'node:util';

export const BENCH_USAGE = `Usage: npm run bench [-- options]

Seed throughput, board query latency (admin and a suppressed executive; rollups vs raw, cache
hit vs miss), API load, the Online Retail import (when ../shared/datasets has it) and the CLV
fit (100,000 customers from the warehouse, --quick 20,000; 1,000,000 in memory, --quick 50,000),
the landing forecast's month-6 backtest, and browser timings. Each figure is printed with its
size, median and p95 over its runs after a warm-up, a peer measured in the same run and the
ratio, and all of them are written to a JSON file. Exits 1 if a benchmark fails (never because
of a speed).

Options:
  --quick                 small sizes and short runs: a smoke test of the benchmarks (a few minutes)
  --customers N           customers in the benchmark warehouse (default 1,000,000; --quick 20,000)
  --runs N                warm runs per latency figure (default 20; --quick 3; 3 when one run
                          takes over 2 s, as raw queries on a million customers do)
  --load-clients N        concurrent API clients in the load benchmark (default 50; --quick 10)
  --load-seconds N        seconds of load per phase (default 60; --quick 5)
  --slice-customers N     customers for the in-browser slicing timings (default 200,000; --quick 20,000)
  --soak                  add a 10-minute soak to the load benchmark, with memory over time
  --json PATH             where to write the results (default test-results/bench-results.json)
  --help                  print this help
`;

export const DEFAULT_JSON = 'test-results/bench-results.json';

export interface BenchOptions {
  help: boolean;
  quick: boolean;
  soak: boolean;
  customers: number;
  runs: number;
  loadClients: number;
  loadSeconds: number;
  sliceCustomers: number;
  json: string;
}

/** A command line the benchmarks cannot run with; its message is meant for the user as is. */
export class BenchUsageError extends Error {}

/** Reads the benchmark's command line; unknown options and non-numbers are usage errors, not stack traces. */
export function parseBenchOptions(args: string[]): BenchOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        customers: { type: 'string' },
        runs: { type: 'string' },
        'slice-customers': { type: 'string' },
        'load-clients': { type: 'string' },
        'load-seconds': { type: 'string' },
        json: { type: 'string' },
        quick: { type: 'boolean', default: false },
        soak: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    throw new BenchUsageError((e as Error).message);
  }
  const quick = values.quick === true;
  const count = (name: string, full: number, small: number): number => {
    const text = values[name];
    if (text === undefined) return quick ? small : full;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new BenchUsageError(`--${name} must be a positive whole number, got "${String(text)}".`);
    return n;
  };
  return {
    help: values.help === true,
    quick,
    soak: values.soak === true,
    customers: count('customers', 1_000_000, 20_000),
    runs: count('runs', 20, 3),
    loadClients: count('load-clients', 50, 10),
    loadSeconds: count('load-seconds', 60, 5),
    sliceCustomers: count('slice-customers', 200_000, 20_000),
    json: typeof values.json === 'string' && values.json ? values.json : DEFAULT_JSON,
  };
}
