import type { BaseDriver } from '@cubejs-backend/base-driver';
import type { HeldWarehouse } from '../seeds/warehouseFile.js';
import { duckdbWarehouse } from './duckdb/duckdbWarehouse.js';
import type { Column } from './http/columnsToArrow.js';
import { postgresWarehouse } from './postgres/postgresWarehouse.js';
import type { DuckDBQuery } from './duckdb/DuckDBQuery.js';
import type { PostgresQuery } from './postgres/PostgresQuery.js';

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

/**
 * What the server asks of a warehouse beyond Cube's driver: each warehouse answers for itself,
 * so the server never branches on which one it has.
 */
export interface WarehouseCapabilities {
  health: WarehouseHealth;
  /** `SELECT 1`, not counted as a query in flight. */
  ping(): Promise<void>;
  /** Runs SQL and returns its result as columns named `names` (the cohort extract: a million rows). */
  readColumns(sql: string, params: unknown[], names: readonly string[]): Promise<Record<string, Column>>;
  /**
   * Stops the running statement of a query nobody waits for (its queue entry's query); false
   * when none runs for it (yet), or the warehouse cannot stop one.
   */
  interrupt(query: object): boolean;
  /** Drops every rollup table in `schema`: built again from the rows on next use (after an import). */
  dropRollups(schema: string): Promise<void>;
  /** At start: drops the rollups when the rows changed after they were built (an import while stopped); resolves to how many. */
  dropOutdatedRollups(schema: string): Promise<number>;
  /** The client-facing sentence when a driver error says the warehouse's data is damaged; null otherwise. */
  describeDamage(errorText: string): string | null;
  /** Why the warehouse cannot be served or written though it answers `SELECT 1` (a file deleted, replaced, read-only); null when it can. */
  problem(): string | null;
  /** Where `POST /api/admin/import` writes while the server holds the warehouse; null: imports are not taken over HTTP. */
  importTarget(): HeldWarehouse | null;
}

export type CrmDriver = BaseDriver & WarehouseCapabilities;

/**
 * A kind of warehouse. A new one implements `WarehouseCapabilities` on its Cube driver in
 * cube/<name>/<name>Warehouse.ts (as cube/duckdb/duckdbWarehouse.ts and
 * cube/postgres/postgresWarehouse.ts do) and is chosen in `describeWarehouse`.
 */
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

export function describeWarehouse(location: WarehouseLocation): Warehouse {
  return isPostgresUrl(location) ? postgresWarehouse(location) : duckdbWarehouse(location);
}
