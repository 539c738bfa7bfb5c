import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { describeWarehouse, type CrmDriver } from '../../cube/warehouse.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';

// What the server asks of a warehouse (cube/warehouse.ts WarehouseCapabilities), on both
// warehouses: the server no longer branches on which one it has, so each must answer for itself.
const tmp = tempDir('crm-capabilities-');
const file = path.join(tmp.dir, 'w.duckdb');
let postgres: TestPostgres;
const drivers: CrmDriver[] = [];

/** A connected driver of the warehouse at `location`, released after the tests. */
async function connect(location: string): Promise<CrmDriver> {
  const driver = describeWarehouse(location).createDriver();
  await driver.testConnection();
  drivers.push(driver);
  return driver;
}

beforeAll(async () => {
  await createDuckDBFile(file, 'SELECT 1');
  postgres = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  for (const driver of drivers) await driver.release();
  await postgres?.stop();
  tmp.remove();
});

/** One rollup table in the rollup schema and the marker an import leaves (seeds/warehouseFile.ts ROLLUPS_OUTDATED_TABLE). */
async function importedAfterRollups(driver: CrmDriver): Promise<void> {
  await driver.query('CREATE SCHEMA IF NOT EXISTS crm_pre_aggregations', []);
  await driver.query('CREATE TABLE crm_pre_aggregations.orders_board_daily_v1 (revenue INTEGER)', []);
  await driver.query('CREATE TABLE rollups_outdated (since TIMESTAMP)', []);
}

const rollupTables = async (driver: CrmDriver) =>
  (await driver.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'crm_pre_aggregations' OR table_name = 'rollups_outdated'", [])).map(
    (t) => t.table_name,
  );

describe.each([
  ['duckdb', () => file],
  ['postgres', () => postgres.url],
])('a %s warehouse', (kind, location) => {
  it('drops at start the rollups built before its rows changed, once', async () => {
    const driver = await connect(location());
    await importedAfterRollups(driver);
    // One rollup table, then the marker and the table are gone: a second start drops nothing.
    expect(await driver.dropOutdatedRollups('crm_pre_aggregations')).toBe(1);
    expect(await rollupTables(driver)).toEqual([]);
    expect(await driver.dropOutdatedRollups('crm_pre_aggregations')).toBe(0);
  });

  it('reads a result as columns, the same on both', async () => {
    const driver = await connect(location());
    const columns = await driver.readColumns("SELECT 'a' AS k, CAST(1 AS INTEGER) AS v UNION ALL SELECT 'b', NULL ORDER BY k", [], ['k', 'v']);
    expect(columns).toEqual({ k: ['a', 'b'], v: [1, null] });
  });

  it('says what it holds: a file to watch and to import into (DuckDB), or nothing (Postgres)', async () => {
    const driver = await connect(location());
    expect(driver.problem()).toBeNull();
    expect(driver.importTarget()?.label ?? null).toBe(kind === 'duckdb' ? file : null);
    // DuckDB's words for a block failing its checksum; the sentence names the file, not its folder.
    expect(driver.describeDamage('IO Error: Corrupt database file: block 7 does not match stored checksum')).toBe(
      kind === 'duckdb' ? 'The warehouse file w.duckdb is damaged (a data block failed its checksum check): restore it from a backup or recreate it with `npm run seed -- --force`.' : null,
    );
    expect(driver.interrupt({})).toBe(false);
  });
});
