import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../cube/paths.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { HAND_FIXTURE_SQL } from './fixture.js';

// npm run model:check on the real model (passes) and on broken copies (fails naming file and member).
const tmp = tempDir();
const warehouse = path.join(tmp.dir, 'hand.duckdb');
beforeAll(async () => {
  await createDuckDBFile(warehouse, HAND_FIXTURE_SQL);
});
afterAll(() => tmp.remove());

function check(edit?: (dir: string) => void, db = warehouse) {
  const dir = path.join(tmp.dir, `model-${Math.random().toString(36).slice(2)}`);
  cpSync(path.join(REPO_ROOT, 'model'), dir, { recursive: true });
  edit?.(dir);
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'cube/modelCheckCli.ts'), '--model', dir, '--warehouse', db], { encoding: 'utf8' });
}
const replaceIn = (dir: string, file: string, from: string, to: string) => {
  const full = path.join(dir, file);
  const text = readFileSync(full, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no "${from}"`);
  writeFileSync(full, text.replace(from, to));
};

describe('npm run model:check', () => {
  it('passes on the product model', () => {
    const run = check();
    expect(run.stderr).not.toContain('failed');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Model OK: \d+ cubes/);
  });

  it('names a measure without a description or format', () => {
    const run = check((dir) => replaceIn(dir, 'cubes/sales/orders.yml',
      "        description: Sum of net_amount (gross minus discounts) of the orders, in JPY.\n        sql: net_amount\n        type: sum\n        meta:\n          kpi: revenue\n          format: currency\n",
      "        sql: net_amount\n        type: sum\n"));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('cubes/sales/orders.yml (orders.revenue): measure has no description');
    expect(run.stderr).toContain('cubes/sales/orders.yml (orders.revenue): measure has no meta.format');
  });

  it('names a cube or view without the tenant dimension', () => {
    const run = check((dir) => replaceIn(dir, 'views/executive_kpis.yml', '          - tenant_id\n', ''));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('views/executive_kpis.yml (executive_kpis): view does not include "tenant_id"');
  });

  it('names the file and member of a broken reference', () => {
    const run = check((dir) => replaceIn(dir, 'cubes/sales/orders.yml', '"{revenue} / NULLIF({order_count}, 0)"', '"{revenue} / NULLIF({order_total}, 0)"'));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/order_total[\s\S]*orders\.yml/);
  });

  it('names a join that can fan out: not on the primary key, or onto a key that is not unique', () => {
    const offKey = check((dir) => replaceIn(dir, 'cubes/sales/orders.yml', '"{CUBE}.store_id = {stores}.store_id"', '"{CUBE}.tenant_id = {stores}.tenant_id"'));
    expect(offKey.status).toBe(1);
    expect(offKey.stderr).toContain('cubes/sales/orders.yml (orders → stores): many_to_one join is not on stores\'s primary key, so it can fan out');
  });

  it('finds a primary key that is not unique in the warehouse', async () => {
    const duplicated = path.join(tmp.dir, 'dup.duckdb');
    await createDuckDBFile(duplicated, `${HAND_FIXTURE_SQL.replace('store_id BIGINT PRIMARY KEY', 'store_id BIGINT')}
      INSERT INTO stores VALUES (1, 't01', 'Shibuya annex', 'Tokyo', 'Kanto', 'department');`);
    const run = check(undefined, duplicated);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('reference/stores.yml (stores.store_id): primary key is not unique in stores (e.g. 1): joins onto stores fan out');
  });
});
