import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWarehouse } from '../../seeds/generate.js';
import { IMPORT_ROUTE } from '../../seeds/import/importEvents.js';
import { tokenFor } from '../support/apiClient.js';
import { tempDir } from '../support/duckdbFile.js';
import { productFilesIn, startProduct, type RunningProduct } from '../support/product.js';
import { TEST_WAREHOUSE } from '../support/warehouses.js';

// Issue 19, item 9: with CRM_WAREHOUSE set, deleting the file while serving left /health ok and
// an import "succeeded"; the next `npm start` generated demo data at that path and served it (the
// imported tenants gone). An immutable file answered 5 of 30 board queries with 500 while /health
// said ok. A configured warehouse is never replaced by the demo: missing, deleted or not writable
// is an error at start and a 503 from /health while serving.
const tmp = tempDir('crm-lost-warehouse-');
const generated = path.join(tmp.dir, 'generated.duckdb');
const running: RunningProduct[] = [];
const immutable: string[] = [];

beforeAll(async () => {
  await generateWarehouse({ out: generated, ...TEST_WAREHOUSE });
}, 120_000);
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  for (const file of immutable) chattr('-i', file);
  tmp.remove();
});

/** A copy of the generated warehouse in a folder of its own. */
function warehouseCopy(name: string): string {
  const dir = path.join(tmp.dir, name);
  const file = path.join(dir, 'warehouse.duckdb');
  execFileSync('mkdir', ['-p', dir]);
  copyFileSync(generated, file);
  return file;
}

const settings = (warehouse: string) => ({ CRM_WAREHOUSE: warehouse, ...productFilesIn(tmp.dir), CRM_WEB: 'off' });

async function start(warehouse: string): Promise<RunningProduct> {
  const product = await startProduct(settings(warehouse));
  running.push(product);
  return product;
}

/** `npm start` that must not start: resolves with what it printed. */
async function refusedStart(warehouse: string): Promise<string> {
  const error = await startProduct(settings(warehouse), 60_000).then(
    async (started) => {
      await started.stop();
      return null;
    },
    (e: Error) => e.message,
  );
  expect(error).toMatch(/^npm start exited \(1\) before printing its URL/);
  return error!;
}

async function health(url: string): Promise<{ status: number; body: { status: string; reasons?: string[] } }> {
  const res = await fetch(`${url}/health`);
  return { status: res.status, body: await res.json() };
}

/** A t01 admin's import of a 2-order file. */
async function importT01(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}${IMPORT_ROUTE}?format=orders-csv&tenant=t01`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream', Authorization: tokenFor({ tenant_id: 't01', role: 'admin' }) },
    body: 'customer_id,order_id,ordered_at,amount\nM1,O1,2025-03-01,1000\nM2,O2,2025-03-02,2000\n',
  });
  return { status: res.status, text: await res.text() };
}

/** chattr; false when the file system or the sandbox does not allow it. */
function chattr(flag: '+i' | '-i', file: string): boolean {
  try {
    execFileSync('chattr', [flag, file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('a configured warehouse file that is missing', { timeout: 120_000 }, () => {
  it('stops npm start with a message, and nothing is generated or created', async () => {
    const missing = path.join(tmp.dir, 'nowhere', 'warehouse.duckdb');
    const output = await refusedStart(missing);
    expect(output).toContain(`Cannot start: the warehouse file ${missing} (CRM_WAREHOUSE) does not exist.`);
    expect(output).not.toContain('generating the demo warehouse');
    expect(existsSync(path.dirname(missing))).toBe(false);
  });
});

describe('a configured warehouse file deleted while the server runs', { timeout: 180_000 }, () => {
  it('makes /health answer 503, refuses imports, and the next npm start refuses to start', async () => {
    const file = warehouseCopy('deleted');
    const product = await start(file);
    expect(await health(product.url)).toEqual({ status: 200, body: { status: 'ok', warehouse: 'duckdb' } });

    rmSync(file);
    const down = await health(product.url);
    expect(down.status).toBe(503);
    expect(down.body.reasons).toEqual([
      'warehouse: the warehouse file warehouse.duckdb was deleted while the server ran: what the server writes now is lost when it stops; restore the file from a backup and restart the server',
    ]);
    const imported = await importT01(product.url);
    expect(imported.status).toBe(503);
    expect(JSON.parse(imported.text).error).toMatch(/^The warehouse file warehouse\.duckdb was deleted while the server ran: .*nothing was imported\.$/);

    await product.stop();
    const output = await refusedStart(file);
    expect(output).toContain(`Cannot start: the warehouse file ${file} (CRM_WAREHOUSE) does not exist.`);
    // No demo data at the configured path, and no second file beside it.
    expect(readdirSync(path.dirname(file))).toEqual([]);
  });

  it('replaced by another file while serving: /health says the server holds the old one', async () => {
    const file = warehouseCopy('replaced');
    const product = await start(file);
    rmSync(file);
    copyFileSync(generated, file);
    const down = await health(product.url);
    expect(down.status).toBe(503);
    expect(down.body.reasons).toEqual([
      'warehouse: the warehouse file warehouse.duckdb was replaced while the server ran (the server still holds the file it opened): restart the server to serve the new one',
    ]);
    await product.stop();
  });
});

describe('a configured warehouse file that is not writable', { timeout: 180_000 }, () => {
  // Root ignores permission bits (chmod 444 changes nothing for it); the immutable flag holds for root too.
  const canChattr = (() => {
    const probe = path.join(tmp.dir, 'probe');
    writeFileSync(probe, '');
    return chattr('+i', probe) && chattr('-i', probe);
  })();

  it.skipIf(!canChattr)('stops npm start with a message', async () => {
    const file = warehouseCopy('immutable-at-start');
    chattr('+i', file);
    immutable.push(file);
    const output = await refusedStart(file);
    expect(output).toMatch(new RegExp(`Cannot start: the warehouse file ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not writable \\(EPERM\\)`));
  });

  it.skipIf(!canChattr)('made immutable while serving: /health answers 503 and says why', async () => {
    const file = warehouseCopy('immutable-later');
    const product = await start(file);
    chattr('+i', file);
    immutable.push(file);
    const down = await health(product.url);
    expect(down.status).toBe(503);
    expect(down.body.reasons).toEqual([
      'warehouse: the warehouse file warehouse.duckdb is not writable (EPERM): rollup builds and imports fail until it is writable again (chattr -i, chmod u+w or a read-write mount)',
    ]);
    expect((await importT01(product.url)).status).toBe(503);
    chattr('-i', file);
    expect(await health(product.url)).toEqual({ status: 200, body: { status: 'ok', warehouse: 'duckdb' } });
    await product.stop();
  });
});
