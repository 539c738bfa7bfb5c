import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import pg from 'pg';
import { generateWarehouse, TABLES } from '../../seeds/generate.js';
import { loadIntoPostgres, PostgresLoadError } from '../../seeds/postgresLoader.js';
import { createDuckDBFile, queryDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';

// The same generated warehouse, loaded into Postgres, holds the same rows and money: every
// expected value below is read from the DuckDB file that was loaded.
const tmp = tempDir();
const file = path.join(tmp.dir, 'w.duckdb');
let postgres: TestPostgres;

beforeAll(async () => {
  postgres = await startTestPostgres();
  await generateWarehouse({ out: file, customers: 400, years: 1, seed: 3 });
  await loadIntoPostgres(file, postgres.url);
});
afterAll(async () => {
  await postgres?.stop();
  tmp.remove();
});

async function pgRows(sql: string) {
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('loadIntoPostgres', () => {
  it('copies every table with the same row count', async () => {
    for (const table of TABLES) {
      const [duck] = await queryDuckDBFile(file, `SELECT count(*) AS n FROM ${table}`);
      const [pgCount] = await pgRows(`SELECT count(*) AS n FROM ${table}`);
      expect(pgCount.n, table).toBe(duck.n);
    }
  });

  it('keeps money (sum of net_amount) and timestamps exact, per tenant', async () => {
    const sql = 'SELECT tenant_id, CAST(sum(net_amount) AS VARCHAR) AS revenue, CAST(max(ordered_at) AS VARCHAR) AS last FROM orders GROUP BY 1 ORDER BY 1';
    expect(await pgRows(sql)).toEqual(await queryDuckDBFile(file, sql));
  });

  it('keeps NULLs (non-member orders) as NULLs', async () => {
    const sql = 'SELECT count(*) AS n FROM orders WHERE customer_id IS NULL';
    expect((await pgRows(sql))[0].n).toBe((await queryDuckDBFile(file, sql))[0].n);
  });

  it('is all-or-nothing: a load that fails part-way leaves the previous tables as they were', async () => {
    // A DuckDB file holding only the first tables: the load fails at the first missing one.
    const broken = path.join(tmp.dir, 'broken.duckdb');
    await createDuckDBFile(broken, "CREATE TABLE tenants (tenant_id VARCHAR, name VARCHAR); INSERT INTO tenants VALUES ('t99', 'Broken');");
    await expect(loadIntoPostgres(broken, postgres.url)).rejects.toThrow(/Loading into Postgres failed \(nothing was changed\)/);
    const [before] = await queryDuckDBFile(file, 'SELECT (SELECT count(*) FROM tenants) AS tenants, (SELECT count(*) FROM orders) AS orders');
    expect(await pgRows('SELECT (SELECT count(*) FROM tenants) AS tenants, (SELECT count(*) FROM orders) AS orders')).toEqual([before]);
  });

  it('says clearly when Postgres is unreachable', async () => {
    await expect(loadIntoPostgres(file, 'postgres://crm:secret@127.0.0.1:1/none')).rejects.toThrow(
      new PostgresLoadError('Cannot connect to Postgres at postgres://crm:***@127.0.0.1:1/none: connect ECONNREFUSED 127.0.0.1:1'),
    );
  });
});
