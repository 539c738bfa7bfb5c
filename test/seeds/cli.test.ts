import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
      ['--customers', '0'], ['--customers', '9'], ['--customers', '-5'], ['--customers', 'many'], ['--customers', '1e3'],
      ['--tenants', '0'], ['--tenants', '21'], ['--years', '0'], ['--years', '1.5'], ['--seed', '1.5'],
      ['--bogus'], ['--customers'], ['stray'], ['--target', 'mysql://x'],
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

  it('says clearly, before generating anything, that a --target Postgres is unreachable', () => {
    const run = seed(['--target', 'postgres://crm:secret@127.0.0.1:1/crm', '--customers', '50']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Cannot connect to Postgres at postgres://crm:***@127.0.0.1:1/crm');
    expect(run.stderr).not.toContain('secret');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(run.stderr).not.toContain('customers'); // no generation step ran
  });
});
