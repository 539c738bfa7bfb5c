import { PostgresDriver } from './cubePackages.js';
import type { BaseDriver } from '@cubejs-backend/base-driver';
import { DuckDBDriver } from './duckdb/DuckDBDriver.js';
import { DuckDBQuery } from './duckdb/DuckDBQuery.js';
import { PostgresQuery } from './postgres/PostgresQuery.js';

/** Where the warehouse lives: a DuckDB file path, or a `postgres://` URL. */
export type WarehouseLocation = string;

export function isPostgresUrl(location: WarehouseLocation): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

export interface Warehouse {
  dbType: 'duckdb' | 'postgres';
  /** What to show in logs: the file path, or the URL without its password. */
  label: string;
  createDriver(): BaseDriver;
  /** Cube dialect class: ours for DuckDB, Cube's Postgres one with a time-zone check. */
  dialectClass: typeof DuckDBQuery | typeof PostgresQuery;
}

export function describeWarehouse(location: WarehouseLocation): Warehouse {
  if (isPostgresUrl(location)) {
    const url = new URL(location);
    if (url.password) url.password = '***';
    return {
      dbType: 'postgres',
      label: url.toString(),
      createDriver: () => new PostgresDriver({ connectionString: location }),
      dialectClass: PostgresQuery,
    };
  }
  return {
    dbType: 'duckdb',
    label: location,
    createDriver: () => new DuckDBDriver({ databasePath: location }),
    dialectClass: DuckDBQuery,
  };
}
