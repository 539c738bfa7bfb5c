/**
 * Opening the DuckDB warehouse file for writing, shared by the importers and the CLV fit: the
 * file is created when missing, tables added to schema.sql since the file was made are added,
 * and a file held open by another process (the server) gives a sentence saying what to do.
 * The server, which holds the file, hands the same jobs a connection of its own instead.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { SCHEMA_SQL } from './generate.js';

/** A warehouse problem the user can act on; the CLIs print its message without a stack. */
export class WarehouseError extends Error {}

/** Another process (most likely the server) holds the file's write lock. */
export class WarehouseLocked extends WarehouseError {
  constructor(
    message: string,
    /** The holder's process id, when DuckDB names it. */
    readonly pid: string | undefined,
  ) {
    super(message);
  }
}

export interface OpenWarehouse {
  connection: DuckDBConnection;
  /** True when this call created the file (a failed import deletes it again). */
  created: boolean;
  close(): void;
  /** Closes and deletes the file when this call created it: a failed run leaves nothing behind. */
  discard(): void;
  /** Writes what the job committed into the file itself (not only its write-ahead log). */
  checkpoint(): Promise<void>;
}

/**
 * A warehouse opened by the process that holds it (the server): each job gets a connection of
 * its own, never creates the file, and leaves checkpoints to DuckDB (CHECKPOINT fails while
 * the server's other connections write).
 */
export interface HeldWarehouse {
  /** What messages call it: the file path. */
  label: string;
  connect(): Promise<DuckDBConnection>;
}

/** Where a job writes: a DuckDB file path (opened here), or a warehouse the server holds. */
export type WarehouseTarget = string | HeldWarehouse;

export const targetLabel = (target: WarehouseTarget) => (typeof target === 'string' ? target : target.label);

export async function openTarget(target: WarehouseTarget): Promise<OpenWarehouse> {
  if (typeof target === 'string') return openWarehouse(target);
  const connection = await target.connect();
  const close = () => connection.closeSync();
  return { connection, created: false, close, discard: close, checkpoint: async () => {} };
}

/**
 * Columns added to the schema since a warehouse may have been made: imports and the CLV fit add
 * them, and so does the server at start (cube/server.ts), so an older warehouse keeps working.
 * Valid in DuckDB and Postgres.
 */
export const ADDED_COLUMNS_SQL = [
  'ALTER TABLE tenants ADD COLUMN IF NOT EXISTS fiscal_year_start_month INTEGER DEFAULT 4',
  "ALTER TABLE tenants ADD COLUMN IF NOT EXISTS currency VARCHAR DEFAULT 'JPY'",
  'ALTER TABLE tenants ADD COLUMN IF NOT EXISTS dormancy_days INTEGER DEFAULT 180',
  "ALTER TABLE clv_fits ADD COLUMN IF NOT EXISTS status VARCHAR DEFAULT 'served'",
];

/** Every schema table, created only where missing, so older warehouses gain the newer tables (and columns). */
export const SCHEMA_IF_MISSING_SQL = `${SCHEMA_SQL.replace(/CREATE TABLE (?!IF NOT EXISTS)/g, 'CREATE TABLE IF NOT EXISTS ')}
${ADDED_COLUMNS_SQL.map((sql) => `${sql};`).join('\n')}`;

/**
 * A table whose presence says that rows changed after the rollups in the file were built: an
 * import and a CLV fit create it in their transaction. The server drops it with the rollups (cube/dataVersion.ts)
 * right after its own imports, and at start when the file was imported into while it was stopped
 * or it died before it could: Cube would otherwise reuse a rollup table of the same hour.
 */
export const ROLLUPS_OUTDATED_TABLE = 'rollups_outdated';

/** DuckDB's words when another process holds the file's write lock. */
const LOCKED = /Could not set lock on file|Conflicting lock is held/i;

export async function openWarehouse(file: string): Promise<OpenWarehouse> {
  const created = !existsSync(file);
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file, { autoinstall_known_extensions: 'false' });
  } catch (e) {
    const message = (e as Error).message;
    if (!LOCKED.test(message)) throw e;
    const pid = message.match(/PID (\d+)/)?.[1];
    throw new WarehouseLocked(
      `The warehouse ${file} is open in another process${pid ? ` (PID ${pid})` : ''}, most likely the server ` +
        '(npm start). DuckDB lets one process write a file at a time: stop the server, run this again, then start the server; ' +
        'or write into another file with --out/--warehouse and point CRM_WAREHOUSE at it.',
      pid,
    );
  }
  const connection = await instance.connect();
  const close = () => {
    connection.closeSync();
    instance.closeSync();
  };
  return {
    connection,
    created,
    close,
    checkpoint: async () => {
      await connection.run('CHECKPOINT');
    },
    discard() {
      close();
      if (created) for (const f of [file, `${file}.wal`]) rmSync(f, { force: true });
    },
  };
}
