import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../cube/paths.js';
import { TEST_SECRET, tokenFor } from '../support/apiClient.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { productFilesIn, startProduct } from '../support/product.js';
import { HAND_FIXTURE_SQL } from './fixture.js';

// npm run model:check on the real model (passes) and on broken copies (fails naming file and member).
const tmp = tempDir();
const warehouse = path.join(tmp.dir, 'hand.duckdb');
beforeAll(async () => {
  await createDuckDBFile(warehouse, HAND_FIXTURE_SQL);
});
afterAll(() => tmp.remove());

function modelCopy(edit?: (dir: string) => void): string {
  const dir = path.join(tmp.dir, `model-${Math.random().toString(36).slice(2)}`);
  cpSync(path.join(REPO_ROOT, 'model'), dir, { recursive: true });
  edit?.(dir);
  return dir;
}
// Run asynchronously: a synchronous child would block the test worker (and Vitest's reporting) for seconds.
const modelCheck = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'cube/modelCheckCli.ts'), ...args], { encoding: 'utf8', env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
const check = (edit?: (dir: string) => void, db = warehouse) => modelCheck(['--model', modelCopy(edit), '--warehouse', db]);
const replaceIn = (dir: string, file: string, from: string, to: string) => {
  const full = path.join(dir, file);
  const text = readFileSync(full, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no "${from}"`);
  writeFileSync(full, text.replace(from, to));
};

describe('npm run model:check', { timeout: 120_000 }, () => {
  it('passes on the product model', async () => {
    const run = await check();
    expect(run.stderr).not.toContain('failed');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Model OK: \d+ cubes/);
  });

  it('names a measure without a description or format', async () => {
    const run = await check((dir) => {
      replaceIn(dir, 'cubes/sales/orders.yml', '        description: Sum of net_amount (gross minus discounts) of the orders, in JPY.\n', '');
      replaceIn(dir, 'cubes/sales/orders.yml', '          kpi: revenue\n          format: currency\n', '          kpi: revenue\n');
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('cubes/sales/orders.yml (orders.revenue): measure has no description');
    expect(run.stderr).toContain('cubes/sales/orders.yml (orders.revenue): measure has no meta.format');
  });

  it('names a cube or view without the tenant dimension', async () => {
    const run = await check((dir) => replaceIn(dir, 'views/executive_kpis.yml', '          - tenant_id\n', ''));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('views/executive_kpis.yml (executive_kpis): view does not include "tenant_id"');
  });

  it('names the file and member of a broken reference', async () => {
    const run = await check((dir) => replaceIn(dir, 'cubes/sales/orders.yml', '"{revenue} / NULLIF({order_count}, 0)"', '"{revenue} / NULLIF({order_total}, 0)"'));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/order_total[\s\S]*orders\.yml/);
  });

  it('names the file and member of a misspelt column (Cube compiles it; the warehouse does not)', async () => {
    const run = await check((dir) => replaceIn(dir, 'cubes/sales/orders.yml', '        sql: net_amount\n', '        sql: net_amout\n'));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cubes\/sales\/orders\.yml \(orders\.revenue\): its SQL does not run against the warehouse: .*net_amout/);
    // And aov (revenue / orders), which uses it; no other member is named.
    expect(run.stderr).toContain('cubes/sales/orders.yml (orders.aov): its SQL does not run against the warehouse');
    expect(run.stderr).toContain('Model check failed with 2 issue(s)');
  });

  it('names a join that can fan out: not on the primary key, or onto a key that is not unique', async () => {
    const offKey = await check((dir) => replaceIn(dir, 'cubes/sales/orders.yml', '"{CUBE}.store_id = {stores}.store_id"', '"{CUBE}.tenant_id = {stores}.tenant_id"'));
    expect(offKey.status).toBe(1);
    expect(offKey.stderr).toContain("cubes/sales/orders.yml (orders → stores): many_to_one join is not on stores's primary key, so it can fan out");
  });

  it('finds a primary key that is not unique in the warehouse', async () => {
    const duplicated = path.join(tmp.dir, 'dup.duckdb');
    await createDuckDBFile(
      duplicated,
      `${HAND_FIXTURE_SQL.replace('store_id BIGINT PRIMARY KEY', 'store_id BIGINT')}
      INSERT INTO stores VALUES (1, 't01', 'Shibuya annex', 'Tokyo', 'Kanto', 'department');`,
    );
    const run = await check(undefined, duplicated);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('reference/stores.yml (stores.store_id): primary key is not unique in stores (e.g. 1): joins onto stores fan out');
  });
});

describe('npm run model:check while the server runs (it holds the DuckDB file)', { timeout: 240_000 }, () => {
  it('has the server check the model it serves, and names a misspelt column', async () => {
    const held = path.join(tmp.dir, 'held.duckdb');
    await createDuckDBFile(held, HAND_FIXTURE_SQL);
    const model = modelCopy();
    const product = await startProduct({
      CRM_WAREHOUSE: held,
      CRM_MODEL_PATH: model,
      ...productFilesIn(tmp.dir),
      CRM_WEB: 'off',
    });
    try {
      const args = ['--model', model, '--warehouse', held, '--server', product.url];
      // Before: "Cannot reach the duckdb warehouse …: Could not set lock on file".
      const ok = await modelCheck(args, { CUBEJS_API_SECRET: TEST_SECRET });
      expect(ok.stderr).not.toContain('lock');
      expect(ok.stdout).toContain(`The warehouse is held by the server at ${product.url}: it checked the model it serves.`);
      expect(ok.status).toBe(0);
      // The analyst misspells a column in the folder the server serves.
      replaceIn(model, 'cubes/sales/orders.yml', '        sql: net_amount\n', '        sql: net_amout\n');
      const broken = await modelCheck(args, { CUBEJS_API_SECRET: TEST_SECRET });
      expect(broken.status).toBe(1);
      expect(broken.stderr).toMatch(/cubes\/sales\/orders\.yml \(orders\.revenue\): its SQL does not run against the warehouse: .*net_amout/);
      // A token that is not an admin's is refused.
      const res = await fetch(`${product.url}/api/model/check`, { headers: { Authorization: tokenFor({ tenant_id: 't01', role: 'marketer' }) } });
      expect(res.status).toBe(403);
    } finally {
      await product.stop();
    }
  });
});
