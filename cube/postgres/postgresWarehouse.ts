import { PostgresDriver } from '../cubePackages.js';
import { ROLLUPS_OUTDATED_TABLE } from '../../seeds/warehouseFile.js';
import { columnsOfRows, type Column } from '../http/columnsToArrow.js';
import { redactUrl } from '../../lib/redactUrl.js';
import type { CrmDriver, Warehouse, WarehouseCapabilities, WarehouseHealth } from '../warehouse.js';
import { PostgresQuery } from './PostgresQuery.js';

// Typed loosely: the pool and queryResponse used here are not in the driver's declarations.
const PostgresBase = PostgresDriver as unknown as new (config: any) => any;

/**
 * Cube's Postgres driver with a connect timeout (pg's default waits forever on a host that
 * drops packets), and connections the server closed (a restart) logged in one line instead of
 * a stack trace or an uncaught exception. pg's pool opens fresh connections once the server is
 * back, so the API recovers by itself. A database server holds no file of the server's and
 * takes no import over HTTP (its owner loads it).
 */
class PostgresWarehouseDriver extends PostgresBase implements WarehouseCapabilities {
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

  async readColumns(sql: string, params: unknown[], names: readonly string[]): Promise<Record<string, Column>> {
    return columnsOfRows(await this.query(sql, params), names);
  }

  /** Not stopped by request here: a dropped query's statement runs to its end (at most Cube's execution timeout). */
  interrupt(): boolean {
    return false;
  }

  async dropRollups(schema: string): Promise<void> {
    const tables: { table_name: string }[] = await this.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]);
    for (const { table_name } of tables) await this.query(`DROP TABLE IF EXISTS ${schema}."${table_name.replaceAll('"', '""')}"`, []);
    await this.query(`DROP TABLE IF EXISTS ${ROLLUPS_OUTDATED_TABLE}`, []);
  }

  async dropOutdatedRollups(schema: string): Promise<number> {
    const marker: unknown[] = await this.query('SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1', [ROLLUPS_OUTDATED_TABLE]);
    if (!marker.length) return 0;
    const rollups: unknown[] = await this.query('SELECT 1 FROM information_schema.tables WHERE table_schema = $1', [schema]);
    await this.dropRollups(schema);
    return rollups.length;
  }

  describeDamage(): string | null {
    return null;
  }

  problem(): string | null {
    return null;
  }

  importTarget(): null {
    return null;
  }
}

export function postgresWarehouse(url: string): Warehouse {
  const label = redactUrl(url);
  return { dbType: 'postgres', label, dialectClass: PostgresQuery, createDriver: () => new PostgresWarehouseDriver(url, label) as unknown as CrmDriver };
}
