import type { CrmCubeCore } from './cubeCore.js';
import type { DuckDBDriver } from './duckdb/DuckDBDriver.js';
import { ROLLUPS_OUTDATED_TABLE } from '../seeds/warehouseFile.js';

/**
 * Which rows Cube's caches describe. Cube keeps query results, rollup versions and its queue per
 * orchestrator, and the rollups' refresh key (every hour) would let it reuse a rollup table
 * built before an import. After an import the rollup tables are dropped, so they are built
 * again from the new rows, and later queries get a new orchestrator with empty caches.
 */
export class DataVersion {
  private version = 0;

  constructor(
    private readonly instanceId: string,
    private readonly preAggregationsSchema: string,
  ) {}

  /** Cube's contextToOrchestratorId. */
  orchestratorId(): string {
    return `${this.instanceId}-data${this.version}`;
  }

  /**
   * Drops first, then switches: a query on the new orchestrator never finds an old rollup (one
   * already running on the old orchestrator that reads a dropped rollup fails, and is asked again).
   */
  async renew(core: CrmCubeCore, driver: DuckDBDriver): Promise<void> {
    await driver.dropAllTables(this.preAggregationsSchema);
    await driver.query(`DROP TABLE IF EXISTS ${ROLLUPS_OUTDATED_TABLE}`);
    const old = this.orchestratorId();
    this.version += 1;
    core.forgetOrchestrator(old);
  }
}

/**
 * At start: drops the rollup tables when the file's rows changed after they were built (an import
 * or CLV fit while the server was stopped, or a server that died between an import's commit and
 * its renew); resolves to how many it dropped.
 */
export async function dropOutdatedRollups(driver: DuckDBDriver, preAggregationsSchema: string): Promise<number> {
  const tables = (schema: string) => driver.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = ?', [schema]);
  if (!(await tables('main')).some((t) => t.table_name === ROLLUPS_OUTDATED_TABLE)) return 0;
  const rollups = (await tables(preAggregationsSchema)).length;
  await driver.dropAllTables(preAggregationsSchema);
  await driver.query(`DROP TABLE IF EXISTS ${ROLLUPS_OUTDATED_TABLE}`);
  return rollups;
}
