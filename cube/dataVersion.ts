import type { CubeEngine } from './engine/cubeEngine.js';
import type { WarehouseCapabilities } from './warehouse.js';

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
  async renew(engine: CubeEngine, warehouse: Pick<WarehouseCapabilities, 'dropRollups'>): Promise<void> {
    await warehouse.dropRollups(this.preAggregationsSchema);
    const old = this.orchestratorId();
    this.version += 1;
    engine.forgetOrchestrator(old);
  }
}
