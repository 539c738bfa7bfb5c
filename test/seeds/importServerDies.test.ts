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
// none of the file's rows.
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

describe('npm run import when the server dies mid-import', { timeout: 300_000 }, () => {
  it('says the server stopped and nothing was written, exits 1 without a stack, and the restarted server has no partial rows', async () => {
    const product = await start();
    const port = new URL(product.url).port;
    const { CUBEJS_API_SECRET: _none, ...env } = process.env;
    const cli = spawn('npm', ['run', '--silent', 'import', '--', '--format', 'orders-csv', '--file', bigFile, '--tenant', 'big', '--out', served], {
      cwd: REPO_ROOT,
      env: { ...env, PORT: port, CRM_ADMIN_TOKEN: ADMIN_TOKEN(), CRM_SECRET_FILE: path.join(tmp.dir, 'no-secret') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let killed = false;
    cli.stderr.on('data', (d) => {
      stderr += d;
      // The first progress line: the server has the file and is reading it inside its transaction.
      if (!killed && /rows read/.test(stderr)) {
        killed = true;
        product.signal('SIGKILL');
      }
    });
    const code = await new Promise<number | null>((resolve) => cli.on('close', resolve));
    await product.exited;

    expect(killed).toBe(true);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(
        `Import failed: the server at ${product.url.replace(/[.]/g, '\\.')} broke off the connection \\(terminated[^)]*\\) during the import, most likely because it stopped\\. ` +
          "Nothing was written: the server replaces a tenant's rows in one transaction and had not committed it\\.",
      ),
    );
    expect(stderr).not.toMatch(/TypeError|\n\s+at /);

    const restarted = await start();
    expect(await orders(restarted.url, 'big')).toBe(0);
    expect(await orders(restarted.url, 't01')).toBeGreaterThan(0);
  });
});
