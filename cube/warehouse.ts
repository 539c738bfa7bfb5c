import { PostgresDriver } from './cubePackages.js';
import type { BaseDriver } from '@cubejs-backend/base-driver';
import path from 'node:path';
import { DuckDBDriver, type Cancellable } from './duckdb/DuckDBDriver.js';
import { DuckDBQuery } from './duckdb/DuckDBQuery.js';
import { PostgresQuery } from './postgres/PostgresQuery.js';
import { redactUrl } from '../lib/redactUrl.js';

/** Where the warehouse lives: a DuckDB file path, or a `postgres://` URL. */
export type WarehouseLocation = string;

export function isPostgresUrl(location: WarehouseLocation): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * What the drivers remember about the warehouse between queries, for `/health`: when a query
 * last succeeded, and whether the DuckDB file was found damaged.
 */
export interface WarehouseHealth {
  lastSuccessAt: number;
  /** Queries running now: a slow `SELECT 1` while they run means busy, not unreachable. */
  inFlight: number;
  /** Set when DuckDB found a data block whose checksum does not match (the file is damaged). */
  damage: string | null;
}

export type CrmDriver = BaseDriver & {
  health: WarehouseHealth;
  /** `SELECT 1`, not counted as a query in flight. */
  ping(): Promise<void>;
};

export interface Warehouse {
  dbType: 'duckdb' | 'postgres';
  /** What to show in logs: the file path, or the URL without its password. */
  label: string;
  createDriver(): CrmDriver;
  /** Cube dialect class: ours for DuckDB, Cube's Postgres one with a time-zone check. */
  dialectClass: typeof DuckDBQuery | typeof PostgresQuery;
}

/** Driver errors that mean the warehouse cannot be reached right now (Postgres down, restarting, refusing). */
export const WAREHOUSE_UNREACHABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|EAI_AGAIN|EPIPE|Connection terminated|connection timeout|timeout exceeded when trying to connect|too many clients|the database system is|could not connect|Cannot reach|terminating connection/i;

/** DuckDB's words for a data block that fails its checksum (or a file cut short). */
export const DAMAGED_FILE = /Corrupt database file|does not match stored checksum|Could not read enough bytes from file/i;

/** The client-facing sentence for a damaged warehouse file: names the file, not its folder. */
export function damagedFileMessage(file: string): string {
  return `The warehouse file ${path.basename(file)} is damaged (a data block failed its checksum check): restore it from a backup or recreate it with \`npm run seed -- --force\`.`;
}

/** Cube's DuckDB driver (ours), remembering successes and a damaged file for `/health`. */
class CheckedDuckDBDriver extends DuckDBDriver {
  health: WarehouseHealth = { lastSuccessAt: 0, inFlight: 0, damage: null };

  constructor(private readonly file: string) {
    super({ databasePath: file });
  }

  async ping(): Promise<void> {
    await super.query('SELECT 1');
  }

  // Not async: the answer keeps the `cancel` Cube's queue calls to stop the statement.
  query<R = unknown>(sql: string, values: unknown[] = [], request?: unknown): Cancellable<R[]> {
    this.health.inFlight++;
    const run = super.query<R>(sql, values, request);
    const checked = run
      .then(
        (rows) => {
          this.health.lastSuccessAt = Date.now();
          return rows;
        },
        async (e) => {
          const message = (e as Error)?.message ?? String(e);
          if (DAMAGED_FILE.test(message)) this.health.damage = damagedFileMessage(this.file);
          // A fatal error invalidates the DuckDB instance for good: the next query reopens the file.
          if (/database has been invalidated|FATAL Error/i.test(message)) await this.release().catch(() => {});
          throw e;
        },
      )
      .finally(() => {
        this.health.inFlight--;
      });
    return Object.assign(checked, { cancel: run.cancel });
  }
}

const PostgresBase = PostgresDriver as unknown as new (config: any) => any;

/**
 * Cube's Postgres driver with a connect timeout (pg's default waits forever on a host that
 * drops packets), and connections the server closed (a restart) logged in one line instead of
 * a stack trace or an uncaught exception. pg's pool opens fresh connections once the server is
 * back, so the API recovers by itself.
 */
class CheckedPostgresDriver extends PostgresBase {
  health: WarehouseHealth = { lastSuccessAt: 0, inFlight: 0, damage: null };

  constructor(connectionString: string, label: string) {
    super({ connectionString, connectionTimeoutMillis: 5000 });
    const closed = (err: Error) => console.error(`[warehouse] a connection to ${label} was closed: ${String(err?.message ?? err).split('\n')[0]}`);
    this.pool.removeAllListeners('error');
    this.pool.on('error', closed);
    // pg emits a checked-out connection's end as an 'error' event on its client, which no one
    // listens to between two statements (upstream's prepareConnection, then the query): an
    // uncaught exception that took the whole server down when Postgres restarted.
    this.pool.on('connect', (client: any) => client.on('error', closed));
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async queryResponse(query: string, values: unknown[]) {
    this.health.inFlight++;
    try {
      const result = await super.queryResponse(query, values);
      this.health.lastSuccessAt = Date.now();
      return result;
    } finally {
      this.health.inFlight--;
    }
  }
}

export function describeWarehouse(location: WarehouseLocation): Warehouse {
  if (isPostgresUrl(location)) {
    const label = redactUrl(location);
    return {
      dbType: 'postgres',
      label,
      createDriver: () => new CheckedPostgresDriver(location, label) as unknown as CrmDriver,
      dialectClass: PostgresQuery,
    };
  }
  return {
    dbType: 'duckdb',
    label: location,
    createDriver: () => new CheckedDuckDBDriver(location) as unknown as CrmDriver,
    dialectClass: DuckDBQuery,
  };
}
