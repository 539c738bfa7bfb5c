import type { CrmCubeCore } from './cubeCore.js';
import type { CrmDriver } from './warehouse.js';

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
   * Drops first, then switches: a query on the new orchestrator never finds an old rollup
   * (one on the old orchestrator that still names a dropped table fails and is asked again).
   */
  async renew(core: CrmCubeCore, driver: CrmDriver): Promise<void> {
    const tables = await driver.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = ?', [this.preAggregationsSchema]);
    for (const { table_name } of tables) await driver.dropTable(`${this.preAggregationsSchema}.${table_name}`);
    const old = this.orchestratorId();
    this.version += 1;
    core.forgetOrchestrator(old);
  }
}
