import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../cube/paths.js';
import { queryDuckDBFile, tempDir } from '../support/duckdbFile.js';

// `npm run seed` as a user runs it: exit codes and messages are the CLI's contract
// (2 = bad arguments with the usage, 1 = refused or failed with a one-line reason).
const tmp = tempDir();
afterAll(() => tmp.remove());
const seed = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'seeds/cli.ts'), ...args], { encoding: 'utf8' });

describe('npm run seed', () => {
  it('exits 2 with the usage on bad arguments', () => {
    const bad = [
      ['--customers', '0'],
      ['--customers', '9'],
      ['--customers', '-5'],
      ['--customers', 'many'],
      ['--customers', '1e3'],
      ['--tenants', '0'],
      ['--tenants', '21'],
      ['--years', '0'],
      ['--years', '1.5'],
      ['--seed', '1.5'],
      ['--bogus'],
      ['--customers'],
      ['stray'],
      ['--target', 'mysql://x'],
    ];
    for (const args of bad) {
      const run = seed(args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toContain('Usage: npm run seed');
    }
  });

  it('refuses to overwrite a file without --force, leaving it untouched', () => {
    const out = path.join(tmp.dir, 'existing.duckdb');
    writeFileSync(out, 'keep me');
    const run = seed(['--out', out, '--customers', '50']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('already exists; add --force');
    expect(readFileSync(out, 'utf8')).toBe('keep me');
  });

  it('writes a warehouse and reports progress, rows and throughput; --force replaces an existing file', async () => {
    const out = path.join(tmp.dir, 'small.duckdb');
    writeFileSync(out, 'old');
    const run = seed(['--out', out, '--customers', '50', '--years', '1', '--force']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/customers\s+50\n/);
    expect(run.stdout).toMatch(/throughput: [\d,]+ customers\/s, [\d,]+ order lines\/s/);
    expect(run.stderr).toMatch(/\[\s*[\d.]+ s\]\s+\d+ %\s+member orders/);
    expect(run.stderr).toMatch(/100 %\s+done/);
    expect((await queryDuckDBFile(out, 'SELECT count(*) AS n FROM customers'))[0].n).toBe('50');
    expect(existsSync(`${out}.wal`)).toBe(false);
  });

  it('fits predicted CLV for every tenant of a fresh warehouse: one fit per tenant, one prediction per member with orders', async () => {
    const out = path.join(tmp.dir, 'fitted.duckdb');
    const run = seed(['--out', out, '--customers', '600', '--years', '1']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/predicted CLV t01: [\d,]+ members, mean ¥[\d,]+ over 12 months/);
    // Independent count: members with at least one order, per tenant (the fit's customers).
    const fitted = await queryDuckDBFile(
      out,
      `SELECT f.tenant_id, f.customers, (SELECT count(*) FROM customer_predictions p WHERE p.tenant_id = f.tenant_id) AS predictions,
        (SELECT count(DISTINCT customer_id) FROM orders o WHERE o.tenant_id = f.tenant_id AND o.customer_id IS NOT NULL) AS buyers
      FROM clv_fits f ORDER BY 1`,
    );
    expect(fitted.map((r) => r.tenant_id)).toEqual(['t01', 't02']);
    for (const r of fitted) expect([r.predictions, r.customers]).toEqual([r.buyers, r.buyers]);
  });

  it('says clearly, before generating anything, that a --target Postgres is unreachable', () => {
    const run = seed(['--target', 'postgres://crm:secret@127.0.0.1:1/crm', '--customers', '50']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Cannot connect to Postgres at postgres://crm:***@127.0.0.1:1/crm');
    expect(run.stderr).not.toContain('secret');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(run.stderr).not.toContain('customers'); // no generation step ran
  });
});

/** The `<out>.partial-<pid>` files (and their .wal/.tmp) beside `out`. */
const partials = (out: string) =>
  readdirSync(path.dirname(out))
    .filter((name) => name.startsWith(`${path.basename(out)}.partial-`))
    .sort();

async function waitFor<T>(what: string, probe: () => T | null | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const runs = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Starts a large seed and resolves once its partial file has data in it: [the generator's pid, the partial file]. */
async function seedingStarted(child: ChildProcess, out: string): Promise<[number, string]> {
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const name = await waitFor(`a partial file (stderr: ${stderr})`, () => partials(out).find((n) => /\.partial-\d+$/.test(n) && statSync(path.join(path.dirname(out), n)).size > 0));
  await waitFor('the customers step', () => /customers/.test(stderr));
  return [Number(name.split('.partial-')[1]), path.join(path.dirname(out), name)];
}

describe('a stopped seed leaves no partial files', () => {
  // 300,000 members take half a minute: every run here is stopped within seconds of starting.
  const big = ['--customers', '300000', '--years', '3', '--force'];

  it('killing the npm process (npm -> sh -> tsx -> node) stops the generator and deletes its files', async () => {
    const out = path.join(tmp.dir, 'npm-killed.duckdb');
    const npm = spawn('npm', ['run', 'seed', '--', '--out', out, ...big], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    const [generator] = await seedingStarted(npm, out);
    try {
      expect(generator).not.toBe(npm.pid);
      npm.kill('SIGTERM');
      // Before: npm and sh exited, tsx and the generator ran on and left the partial file (445 MB after five kills).
      await waitFor('the generator to stop', () => !runs(generator), 10_000);
      expect(partials(out)).toEqual([]);
      expect(existsSync(out)).toBe(false);
    } finally {
      if (runs(generator)) process.kill(generator, 'SIGKILL');
    }
  }, 60_000);

  it('Ctrl-C (SIGINT) deletes the partial files and exits 130', async () => {
    const out = path.join(tmp.dir, 'interrupted.duckdb');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'seeds/cli.ts'), '--out', out, ...big], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await seedingStarted(child, out);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('Seeding stopped (SIGINT); its partial files were deleted.');
    expect(partials(out)).toEqual([]);
  }, 60_000);

  it('the next run deletes the partial files of a run killed with SIGKILL', async () => {
    const out = path.join(tmp.dir, 'killed.duckdb');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'seeds/cli.ts'), '--out', out, ...big], { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const [pid, file] = await seedingStarted(child, out);
    child.kill('SIGKILL');
    await exited;
    expect(partials(out)).toContain(path.basename(file)); // SIGKILL cannot be caught
    const next = seed(['--out', out, '--customers', '50', '--years', '1', '--force']);
    expect(next.status, next.stderr).toBe(0);
    expect(partials(out)).toEqual([]);
    expect(runs(pid)).toBe(false);
    expect((await queryDuckDBFile(out, 'SELECT count(*) AS n FROM customers'))[0].n).toBe('50');
  }, 60_000);
});
