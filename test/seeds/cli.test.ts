import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../cube/paths.js';
import { tempDir } from '../support/duckdbFile.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
const seed = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'seeds/cli.ts'), ...args], { encoding: 'utf8' });

describe('npm run seed', () => {
  it('exits 2 with the usage on bad arguments', () => {
    for (const args of [['--customers', '0'], ['--customers', 'many'], ['--tenants', '21'], ['--years', '1.5'], ['--bogus'], ['--target', 'mysql://x']]) {
      const run = seed(args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toContain('Usage: npm run seed');
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

  it('writes a warehouse and reports rows and throughput', () => {
    const run = seed(['--out', path.join(tmp.dir, 'small.duckdb'), '--customers', '50', '--years', '1']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/customers\s+50\n/);
    expect(run.stdout).toMatch(/throughput: [\d,]+ customers\/s/);
    expect(run.stderr).toMatch(/100 %\s+done/);
  });
});
