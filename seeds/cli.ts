/**
 * `npm run seed -- [--customers N] [--tenants T] [--years Y] [--seed S] [--out PATH] [--force] [--target postgres://…]`
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { removePartialFiles, type GenerateSummary } from './generate.js';
import { redactUrl } from '../lib/redactUrl.js';
import { checkPostgres, loadIntoPostgres } from './postgresLoader.js';
import { onLauncherGone, processRuns } from '../lib/parentWatch.js';
import { seedWarehouse } from './pipeline.js';

const USAGE = `Usage: npm run seed -- [options]
  --customers N   members to generate (default 50000, at least 10)
  --tenants T     tenants, 1-20 (default 2)
  --years Y       years of orders ending on 2026-10-31, 1-10 (default 3)
  --seed S        random seed; the same seed gives the same warehouse (default 42)
  --out PATH      DuckDB file to write (default data/warehouse.duckdb)
  --force         overwrite an existing --out file
  --target URL    load the generated data into this Postgres database instead (postgres://user:pass@host:5432/db)`;

function fail(message: string, code = 2): never {
  console.error(code === 2 ? `${message}\n\n${USAGE}` : message);
  process.exit(code);
}

function wholeNumber(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) fail(`--${name} must be a whole number from ${min} to ${max}, got "${text}".`);
  return value;
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      customers: { type: 'string' },
      tenants: { type: 'string' },
      years: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      target: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  }));
} catch (e) {
  fail((e as Error).message);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const options = {
  customers: wholeNumber('customers', values.customers as string | undefined, 50_000, 10, 20_000_000),
  tenants: wholeNumber('tenants', values.tenants as string | undefined, 2, 1, 20),
  years: wholeNumber('years', values.years as string | undefined, 3, 1, 10),
  seed: wholeNumber('seed', values.seed as string | undefined, 42, 0, 2 ** 31),
};
const target = values.target as string | undefined;
if (target && !/^postgres(ql)?:\/\//.test(target)) fail(`--target must be a postgres:// URL, got "${target}".`);
if (target && values.out) fail('Give --out or --target, not both.');
const out = target ? path.join(tmpdir(), `crm-seed-${process.pid}.duckdb`) : path.resolve((values.out as string | undefined) ?? 'data/warehouse.duckdb');
if (!target && existsSync(out) && !values.force) fail(`${out} already exists; add --force to overwrite it.`, 1);

// Stopped with Ctrl-C or SIGTERM (npm forwards both to this process): no partial file stays
// behind. (A SIGKILLed run's files are deleted by the next run: generate.ts.)
const removeTempCopy = () => {
  if (target) for (const file of [out, `${out}.wal`]) rmSync(file, { force: true });
};
const stopSeeding = (why: string, code: number) => {
  removePartialFiles();
  removeTempCopy();
  console.error(`\nSeeding stopped (${why}); its partial files were deleted.`);
  process.exit(code);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => stopSeeding(signal, 128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const)[signal]));
}
// `kill <npm pid>` does not reach this process (npm → sh → tsx → node): stop when npm is gone.
onLauncherGone(() => stopSeeding('npm was stopped', 143));
if (target) {
  // The temporary DuckDB copy of an earlier --target run that was SIGKILLed.
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(name.match(/^crm-seed-(\d+)\.duckdb/)?.[1]);
    if (pid && pid !== process.pid && !processRuns(pid)) rmSync(path.join(tmpdir(), name), { recursive: true, force: true });
  }
}

const started = Date.now();
const progress = (step: string, done: number, total: number) =>
  console.error(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${String(Math.round((done / total) * 100)).padStart(3)} %  ${step}`);

try {
  // An unreachable Postgres is reported before minutes of generation, not after.
  if (target) await checkPostgres(target);
  mkdirSync(path.dirname(out), { recursive: true });
  // A fresh warehouse has predicted CLV (npm run clv refits a tenant later); with --target the
  // fitted file is what Postgres receives.
  const intoPostgres = async (pgUrl: string) => {
    await loadIntoPostgres(out, pgUrl, (table, done, total) => progress(table === 'done' ? 'loaded into Postgres' : `loading ${table} into Postgres`, done, total));
    removeTempCopy();
  };
  const summary: GenerateSummary = await seedWarehouse({ out, ...options, onProgress: progress }, (line) => console.error(line), target ? () => intoPostgres(target) : undefined);
  const seconds = (Date.now() - started) / 1000;
  console.log(`Warehouse written to ${target ? redactUrl(target) : out} in ${seconds.toFixed(1)} s`);
  for (const [table, rows] of Object.entries(summary.rows)) if (rows > 0) console.log(`  ${table.padEnd(17)} ${rows.toLocaleString('en-US').padStart(12)}`);
  console.log(
    `  throughput: ${Math.round(options.customers / summary.seconds).toLocaleString('en-US')} customers/s, ` +
      `${Math.round(summary.rows.order_items / summary.seconds).toLocaleString('en-US')} order lines/s (generation only)`,
  );
} catch (e) {
  removeTempCopy();
  fail(`Seeding failed: ${(e as Error).message}`, 1);
}
