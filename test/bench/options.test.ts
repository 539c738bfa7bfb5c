import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../cube/paths.js';
import { parseBenchOptions } from './options.js';

const run = promisify(execFile);
const bench = (...args: string[]) =>
  run('npm', ['run', '--silent', 'bench', '--', ...args], { cwd: REPO_ROOT }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e) => ({ code: e.code as number, out: e.stdout as string, err: e.stderr as string }),
  );

describe('npm run bench options', () => {
  it('--help prints the usage and exits 0 (it crashed with a stack trace)', async () => {
    const { code, out, err } = await bench('--help');
    expect(code).toBe(0);
    expect(out).toContain('Usage: npm run bench');
    expect(out).toContain('--quick');
    expect(err).not.toMatch(/at .*\.ts:\d+/);
  });

  it('an unknown option or a non-number is a usage error (exit 2), not a stack trace', async () => {
    const unknown = await bench('--customer', '5');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("Unknown option '--customer'");
    expect(unknown.err).not.toMatch(/at .*\.ts:\d+/);
    expect(() => parseBenchOptions(['--runs', 'ten'])).toThrow('--runs must be a positive whole number, got "ten".');
  });

  it('--quick shrinks every size unless given', () => {
    // Defaults from BENCH_USAGE: full 1,000,000 / 20 runs; quick 20,000 / 3 runs.
    expect(parseBenchOptions([])).toMatchObject({ customers: 1_000_000, runs: 20, quick: false });
    expect(parseBenchOptions(['--quick', '--runs', '5'])).toMatchObject({ customers: 20_000, runs: 5, loadSeconds: 5, quick: true });
  });

  it('writes the results to test-results/ (git-ignored) unless --json says where', () => {
    expect(parseBenchOptions([]).json).toBe('test-results/bench-results.json');
    expect(parseBenchOptions(['--json', '/tmp/bench.json']).json).toBe('/tmp/bench.json');
  });
});
