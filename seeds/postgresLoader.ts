/**
 * Copies a generated DuckDB warehouse into Postgres: the tables are (re)created from
 * schema.sql and filled with COPY … FROM STDIN, all in one transaction, so a failed load leaves
 * the database as it was. DuckDB writes each table as CSV (its own fast writer) into a private
 * temp directory, which is streamed into COPY and removed afterwards; DuckDB's postgres
 * extension is not used (extensions download from the internet).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { redactUrl } from '../lib/redactUrl.js';
import { SCHEMA_SQL, TABLES } from './generate.js';

/** Raised when Postgres cannot be reached or refuses the load; the URL's password is hidden. */
export class PostgresLoadError extends Error {}

/** Connects to pgUrl or throws a PostgresLoadError saying where and why it could not. */
export async function connectPostgres(pgUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    return client;
  } catch (e) {
    await client.end().catch(() => {});
    throw new PostgresLoadError(`Cannot connect to Postgres at ${redactUrl(pgUrl)}: ${(e as Error).message}`);
  }
}

/** Fails fast (before minutes of generation) when pgUrl cannot be reached. */
export async function checkPostgres(pgUrl: string): Promise<void> {
  const client = await connectPostgres(pgUrl);
  await client.end();
}

export async function loadIntoPostgres(duckdbPath: string, pgUrl: string, onProgress?: (table: string, done: number, total: number) => void): Promise<void> {
  // Connect first: an unreachable server is reported before any work is done.
  const client = await connectPostgres(pgUrl);
  const csvDir = mkdtempSync(path.join(tmpdir(), 'crm-pg-load-'));
  let inTransaction = false;
  try {
    const instance = await DuckDBInstance.create(duckdbPath, { access_mode: 'READ_ONLY' });
    const duck = await instance.connect();
    try {
      await client.query('BEGIN');
      inTransaction = true;
      await client.query(`DROP TABLE IF EXISTS ${[...TABLES].reverse().join(', ')} CASCADE`);
      await client.query(SCHEMA_SQL);
      for (const [i, table] of TABLES.entries()) {
        onProgress?.(table, i, TABLES.length);
        const csv = path.join(csvDir, `${table}.csv`);
        // Empty strings stay distinct from NULLs: DuckDB quotes them, COPY reads unquoted empties as NULL.
        await duck.run(`COPY ${table} TO '${csv.replace(/'/g, "''")}' (FORMAT csv, HEADER false, NULL '')`);
        await pipeline(createReadStream(csv), client.query(copyFrom(`COPY ${table} FROM STDIN (FORMAT csv, NULL '')`)));
        rmSync(csv, { force: true });
      }
    } finally {
      duck.closeSync();
      instance.closeSync();
    }
    await client.query('COMMIT');
    inTransaction = false;
    // Fresh statistics, so the planner picks good joins for the first queries.
    await client.query('ANALYZE');
    onProgress?.('done', TABLES.length, TABLES.length);
  } catch (e) {
    if (inTransaction) await client.query('ROLLBACK').catch(() => {});
    throw e instanceof PostgresLoadError ? e : new PostgresLoadError(`Loading into Postgres failed (nothing was changed): ${(e as Error).message}`);
  } finally {
    await client.end().catch(() => {});
    rmSync(csvDir, { recursive: true, force: true });
  }
}
