import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../cube/paths.js';
import { generateWarehouse } from '../../seeds/generate.js';
import { ADMIN_TOKEN, load } from '../support/apiClient.js';
import { tempDir } from '../support/duckdbFile.js';
import { productFilesIn, startProduct, type RunningProduct } from '../support/product.js';
import { TEST_WAREHOUSE } from '../support/warehouses.js';

// Issue 19, item 14: when the server died mid-import, `npm run import` ended with an uncaught
// "TypeError: terminated" stack. Now it says the server stopped and that nothing was written (the
// server replaces a tenant's rows in one transaction), and exits 1; the restarted server has
// none of the file's rows. Killed after the commit, it says the rows were written, and the
// restarted server serves them (it found rollups older than the import and dropped them).
const tmp = tempDir('crm-import-server-dies-');
const served = path.join(tmp.dir, 'served.duckdb');
const bigFile = path.join(tmp.dir, 'orders.csv');
const running: RunningProduct[] = [];

beforeAll(async () => {
  await generateWarehouse({ out: served, ...TEST_WAREHOUSE });
  // 100,000 orders of 5,000 members (3 MB): reading them takes the server seconds, time enough to kill it.
  const lines = Array.from({ length: 100_000 }, (_, i) => `M${i % 5000},O${i},2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},${1000 + (i % 5000)}`);
  writeFileSync(bigFile, `customer_id,order_id,ordered_at,amount\n${lines.join('\n')}\n`);
}, 120_000);
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  tmp.remove();
});

async function start(): Promise<RunningProduct> {
  const product = await startProduct({ CRM_WAREHOUSE: served, ...productFilesIn(tmp.dir), CRM_WEB: 'off' });
  running.push(product);
  return product;
}

/** Orders of a tenant through the board's cube (no rows: the tenant has none). */
async function orders(url: string, tenant: string): Promise<number> {
  const { status, body } = await load(url, {
    measures: ['executive_kpis.orders'],
    filters: [{ member: 'executive_kpis.tenant_id', operator: 'equals', values: [tenant] }],
  });
  expect(status, JSON.stringify(body)).toBe(200);
  return Number(body.data[0]?.['executive_kpis.orders'] ?? 0);
}

/** Runs `npm run import` of the big file into `tenant` through a fresh server, SIGKILLs the server when the CLI's stderr matches `killAt`. */
async function importAndKill(tenant: string, killAt: RegExp): Promise<{ code: number | null; stderr: string; url: string; killed: boolean }> {
  const product = await start();
  // Asked once before: the board's rollup is built from the rows before the import.
  expect(await orders(product.url, tenant)).toBe(0);
  const { CUBEJS_API_SECRET: _none, ...env } = process.env;
  const cli = spawn('npm', ['run', '--silent', 'import', '--', '--format', 'orders-csv', '--file', bigFile, '--tenant', tenant, '--out', served], {
    cwd: REPO_ROOT,
    env: { ...env, PORT: new URL(product.url).port, CRM_ADMIN_TOKEN: ADMIN_TOKEN(), CRM_SECRET_FILE: path.join(tmp.dir, 'no-secret') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let killed = false;
  cli.stderr.on('data', (d) => {
    stderr += d;
    if (!killed && killAt.test(stderr)) {
      killed = true;
      product.signal('SIGKILL');
    }
  });
  const code = await new Promise<number | null>((resolve) => cli.on('close', resolve));
  await product.exited;
  return { code, stderr, url: product.url, killed };
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('npm run import when the server dies mid-import', { timeout: 300_000 }, () => {
  it('while reading the file: says nothing was written, exits 1 without a stack, and the restarted server has no partial rows', async () => {
    // The first progress line: the server has the file and is reading it inside its transaction.
    const { code, stderr, url, killed } = await importAndKill('big', /rows read/);
    expect(killed).toBe(true);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(
        `Import failed: the server at ${escaped(url)} broke off the connection \\(terminated[^)]*\\) during the import, most likely because it stopped\\. ` +
          "Nothing was written: the server replaces a tenant's rows in one transaction and had not committed it\\.",
      ),
    );
    expect(stderr).not.toMatch(/TypeError|\n\s+at /);

    const restarted = await start();
    expect(await orders(restarted.url, 'big')).toBe(0);
    expect(await orders(restarted.url, 't01')).toBeGreaterThan(0);
    await restarted.stop();
  });

  it('after the commit: says the rows were written, exits 1, and the restarted server has all of them', async () => {
    // Printed when the server has committed; its CLV fit of 5,000 members follows.
    const { code, stderr, url, killed } = await importAndKill('late', /rows written into tenant late/);
    expect(killed).toBe(true);
    expect(code).toBe(1);
    expect(stderr).toContain('100,000 rows written into tenant late; the server fits its predicted CLV next.');
    expect(stderr).toMatch(new RegExp(`Import failed: the server at ${escaped(url)} broke off the connection \\(terminated[^)]*\\) after it had written the import`));
    expect(stderr).not.toMatch(/Nothing was written|not changed|TypeError|\n\s+at /);

    // Killed before it could drop the rollups built before the import: the restart does (before, it served them: 0 orders).
    const restarted = await start();
    expect(restarted.output()).toMatch(/rows changed after the rollups in the file were built: [1-9]\d* rollup tables were dropped/);
    expect(await orders(restarted.url, 'late')).toBe(100_000);
  });
});
