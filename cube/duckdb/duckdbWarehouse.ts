import path from 'node:path';
import { ROLLUPS_OUTDATED_TABLE, type HeldWarehouse } from '../../seeds/warehouseFile.js';
import type { Column } from '../http/columnsToArrow.js';
import type { Warehouse, WarehouseCapabilities, WarehouseHealth } from '../warehouse.js';
import { WarehouseFileCheck } from '../warehouseFileCheck.js';
import { DuckDBDriver, type Cancellable } from './DuckDBDriver.js';
import { DuckDBQuery } from './DuckDBQuery.js';

/** DuckDB's words for a data block that fails its checksum (or a file cut short). */
const DAMAGED_FILE = /Corrupt database file|does not match stored checksum|Could not read enough bytes from file/i;

/** The client-facing sentence for a damaged warehouse file: names the file, not its folder. */
function damagedFileMessage(file: string): string {
  return `The warehouse file ${path.basename(file)} is damaged (a data block failed its checksum check): restore it from a backup or recreate it with \`npm run seed -- --force\`.`;
}

/**
 * Cube's DuckDB driver (ours) as the server's warehouse: it remembers successes and a damaged
 * file for `/health`, holds the file (imports write through it; DuckDB lets one process write a
 * file) and watches it for deletion, replacement and lost write access.
 */
class DuckDBWarehouseDriver extends DuckDBDriver implements WarehouseCapabilities {
  health: WarehouseHealth = { lastSuccessAt: 0, inFlight: 0, damage: null };
  private fileCheck: WarehouseFileCheck | null = null;

  constructor(private readonly file: string) {
    super({ databasePath: file });
  }

  async ping(): Promise<void> {
    await super.query('SELECT 1');
  }

  /** Also remembers which file was opened (device and inode): `problem` compares with it. */
  async testConnection(): Promise<void> {
    await super.testConnection();
    this.fileCheck ??= new WarehouseFileCheck(this.file);
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

  readColumns(sql: string, params: unknown[]): Promise<Record<string, Column>> {
    return this.queryColumns(sql, params);
  }

  async dropRollups(schema: string): Promise<void> {
    await this.dropAllTables(schema);
    await this.query(`DROP TABLE IF EXISTS ${ROLLUPS_OUTDATED_TABLE}`);
  }

  async dropOutdatedRollups(schema: string): Promise<number> {
    const tables = (inSchema: string) => this.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = ?', [inSchema]);
    if (!(await tables('main')).some((t) => t.table_name === ROLLUPS_OUTDATED_TABLE)) return 0;
    const rollups = (await tables(schema)).length;
    await this.dropRollups(schema);
    return rollups;
  }

  describeDamage(errorText: string): string | null {
    return DAMAGED_FILE.test(errorText) ? damagedFileMessage(this.file) : null;
  }

  problem(): string | null {
    return this.fileCheck?.problem() ?? null;
  }

  importTarget(): HeldWarehouse {
    return { label: this.file, connect: () => this.connect() };
  }
}

export function duckdbWarehouse(file: string): Warehouse {
  return { dbType: 'duckdb', label: file, dialectClass: DuckDBQuery, createDriver: () => new DuckDBWarehouseDriver(file) };
}
