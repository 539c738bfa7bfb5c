import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, createReadStream, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { SCHEMA_SQL, TABLES } from './generate.js';

/** Raised when Postgres cannot be reached or refuses the load, with the URL's password hidden. */
export class PostgresLoadError extends Error {}

/**
 * Copies every table of a DuckDB warehouse into a Postgres database: the tables are
 * (re)created from schema.sql and filled with COPY from CSV files DuckDB writes, all in one
 * transaction, so the load is all-or-nothing.
 */
export async function loadIntoPostgres(
  duckdbPath: string,
  pgUrl: string,
  onProgress?: (table: string, done: number, total: number) => void,
): Promise<void> {
  const csvDir = mkdtempSync(path.join(tmpdir(), 'crm-pg-load-'));
  const client = new pg.Client({ connectionString: pgUrl });
  try {
    const instance = await DuckDBInstance.create(duckdbPath, { access_mode: 'READ_ONLY' });
    const duck = await instance.connect();
    try {
      for (const table of TABLES) {
        await duck.run(`COPY ${table} TO '${path.join(csvDir, `${table}.csv`)}' (FORMAT csv, HEADER false, NULL '')`);
      }
    } finally {
      duck.closeSync();
      instance.closeSync();
    }

    try {
      await client.connect();
    } catch (e) {
      throw new PostgresLoadError(`Cannot connect to Postgres at ${pgUrl.replace(/:[^:@/]+@/, ':***@')}: ${(e as Error).message}`);
    }
    await client.query('BEGIN');
    await client.query(`DROP TABLE IF EXISTS ${[...TABLES].reverse().join(', ')} CASCADE`);
    await client.query(SCHEMA_SQL);
    for (const [i, table] of TABLES.entries()) {
      onProgress?.(table, i, TABLES.length);
      await pipeline(createReadStream(path.join(csvDir, `${table}.csv`)), client.query(copyFrom(`COPY ${table} FROM STDIN (FORMAT csv, NULL '')`)));
    }
    await client.query('COMMIT');
    // Fresh statistics, so the planner picks good joins for the first queries.
    await client.query('ANALYZE');
    onProgress?.('done', TABLES.length, TABLES.length);
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e instanceof PostgresLoadError ? e : new PostgresLoadError(`Loading into Postgres failed: ${(e as Error).message}`);
  } finally {
    await client.end().catch(() => {});
    rmSync(csvDir, { recursive: true, force: true });
  }
}
