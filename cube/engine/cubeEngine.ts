import type { Express } from 'express';
import { CubejsHandlerError } from '../cubePackages.js';
import { ALL_TENANTS, type SecurityContext } from '../auth/securityContext.js';
import { TokenError, verifyApiToken } from '../auth/tokens.js';
import type { ModelGuard } from '../modelGuard.js';
import { ModelRepository } from '../modelRepository.js';
import type { RequestContext } from '../policy/gatewayPolicy.js';
import type { CubeQuery } from '../policy/queryMembers.js';
import type { buildMemberIndex } from '../policy/memberIndex.js';
import type { CrmDriver, Warehouse } from '../warehouse.js';
import { CrmCubeCore, type GatewayHooks, type LoadRequest, type UsedRollups } from './cubeCore.js';
import { checkCubeInternals, CUBE_CLASSES } from './cubeInternals.js';
import { FairQueueDriver, type FairQueueOptions } from './fairQueueDriver.js';

/** The SQL Cube generates for a query, policies applied, and which member each column alias holds. */
export interface QueryPlan {
  sql: string;
  params: unknown[];
  aliasNameToMember: Record<string, string>;
}

export interface EngineOptions {
  warehouse: Warehouse;
  driver: CrmDriver;
  apiSecret: string;
  modelPath: string;
  /** Changes whenever a model file does: the model recompiles on the next request. */
  modelVersion: () => string;
  /** Names Cube's caches; a new id after an import gives later queries empty ones (dataVersion.ts). */
  orchestratorId: () => string;
  preAggregationsSchema: string;
  /** Seconds between background rollup refreshes; 0 = off. */
  refreshIntervalSeconds: number;
  /** How the queue shares warehouse time between tenants and users (fairQueueDriver.ts). */
  queue: FairQueueOptions;
  /** Every query's rewrite before Cube plans it (the policies). */
  queryRewrite: (query: CubeQuery, context: RequestContext & { requestId: string }) => Promise<CubeQuery>;
  /** Keeps the last good model serving when a model file breaks. */
  modelGuard: ModelGuard;
  log: (message: string) => void;
}

/** The compiled model's cubes and views as Cube describes them. */
type ModelMeta = Parameters<typeof buildMemberIndex>[0];

const SYSTEM: RequestContext = { securityContext: { tenant_id: ALL_TENANTS, role: 'admin' } };

/**
 * Cube Core 0.35.81 as the rest of the server sees it: the model as compiled (`meta`), a
 * query's SQL (`plan`), queries answered through the gateway's policies (`load`), rollups built
 * and dropped caches let go. Every private internal of Cube that this needs is reached from
 * cube/engine/ alone, and checked at start (cubeInternals.ts): an upgrade of Cube starts here.
 */
export class CubeEngine {
  private constructor(private readonly core: CrmCubeCore) {}

  /** Throws CubeInternalMissing when the installed Cube lacks an internal the engine relies on. */
  static create(options: EngineOptions): CubeEngine {
    checkCubeInternals(CUBE_CLASSES, null);
    const core = new CrmCubeCore(coreOptions(options));
    checkCubeInternals(CUBE_CLASSES, core);
    core.modelGuard = options.modelGuard;
    return new CubeEngine(core);
  }

  /** The product's additions to Cube's gateway; set before the first request. */
  get hooks(): GatewayHooks | null {
    return this.core.gatewayHooks;
  }

  set hooks(hooks: GatewayHooks | null) {
    this.core.gatewayHooks = hooks;
  }

  /** The compiled model's cubes and views, every member (no policy applied); compiles the model when it changed. */
  async meta(requestId = 'meta'): Promise<ModelMeta> {
    return (await this.core.getCompilerApi(SYSTEM as any)).metaConfig({ requestId });
  }

  /** The SQL of a member-level query run as it stands (ungrouped, so that no rollup answers it): the model check. */
  async memberSql(query: CubeQuery): Promise<[string, unknown[]]> {
    const compilerApi = await this.core.getCompilerApi(SYSTEM as any);
    const ungrouped = { ...query, timeDimensions: [], filters: [], segments: [], order: [], ungrouped: true, timezone: 'UTC', requestId: 'model-check' };
    return (await compilerApi.getSql(ungrouped)).sql;
  }

  /** The SQL Cube generates for `query` under `context` (every policy applied), with no row limit. */
  async plan(context: RequestContext, query: CubeQuery): Promise<QueryPlan> {
    const gateway = this.core.gateway();
    const [, [normalized]] = await gateway.getNormalizedQueries(query, context, true);
    const [sqlQuery] = await gateway.getSqlQueriesInternal(context, [normalized]);
    return { sql: sqlQuery.sql[0], params: sqlQuery.sql[1], aliasNameToMember: sqlQuery.aliasNameToMember };
  }

  /** A /load through the gateway: answered once (maybe "Continue wait") through `request.res`. */
  load(request: LoadRequest): Promise<unknown> {
    return this.core.gateway().load(request);
  }

  /** Queues every rollup's build now (Cube's scheduled refresh, once); resolves when queued, not built. */
  buildRollups(): Promise<unknown> {
    return this.core.refreshRollups();
  }

  /** Lets go of the caches and queue of an orchestrator no request maps to any more; queries it runs finish. */
  forgetOrchestrator(id: string): void {
    this.core.forgetOrchestrator(id);
  }

  /** Adds Cube's REST routes (/cubejs-api/v1/…) to `app`. */
  mount(app: Express): Promise<void> {
    return this.core.initApp(app);
  }

  shutdown(): Promise<void> {
    return this.core.shutdown();
  }
}

/** The context Cube's gateway made for an HTTP request to one of its routes (its `contextByReq`, kept on the request). */
export function cubeContextOf(req: object): RequestContext {
  return (req as { context: RequestContext }).context;
}

/**
 * `sql` reading the rollup tables that served the same query, as Cube's orchestrator does: Cube
 * writes a rollup's name, the orchestrator swaps in the table of its current version.
 */
export function sqlReadingRollups(sql: string, rollups: UsedRollups): string {
  return Object.entries(rollups).reduce((text, [name, { targetTableName }]) => text.split(name).join(targetTableName), sql);
}

function coreOptions(options: EngineOptions): object {
  const { warehouse, driver, apiSecret, modelPath, refreshIntervalSeconds, queue, log } = options;
  const repository = new ModelRepository(modelPath);
  return {
    dbType: warehouse.dbType,
    apiSecret,
    schemaPath: modelPath,
    repositoryFactory: () => repository,
    // A changed model file recompiles the model on the next request: an analyst's new measure
    // shows in /meta and the explorer without a restart.
    schemaVersion: options.modelVersion,
    driverFactory: () => driver,
    dialectFactory: () => warehouse.dialectClass,
    devServer: false,
    telemetry: false,
    cacheAndQueueDriver: 'memory',
    // Cube's in-memory cache and queue are process-wide, keyed by this id: one per server, so
    // two servers in one process (tests) never share pre-aggregation state.
    contextToOrchestratorId: options.orchestratorId,
    // Set explicitly: otherwise Cube looks up a driver package by dbType to ask for a default.
    // A function: Cube checks an object's queue options against its own list, which has no
    // queueDriverFactory (QueryQueue reads it all the same).
    orchestratorOptions: () => ({
      // A query nobody polls for 15 s (its client went away) leaves the queue instead of
      // running for two minutes; none runs longer than 2 minutes. Fair between tenants and
      // users, and a query whose clients all left is stopped at once (fairQueueDriver.ts).
      queryCacheOptions: {
        queueOptions: {
          concurrency: 4,
          orphanedTimeout: 15,
          executionTimeout: 120,
          queueDriverFactory: (_driver: string, queueOptions: object) => new FairQueueDriver(queueOptions, queue),
        },
      },
      // One instance serves and builds: a query whose rollup is not built yet builds it, in
      // production mode too (where Cube would otherwise wait for a separate refresh worker).
      preAggregationsOptions: { queueOptions: { concurrency: 2 }, externalRefresh: false },
    }),
    preAggregationsSchema: options.preAggregationsSchema,
    scheduledRefreshTimer: refreshIntervalSeconds > 0 ? refreshIntervalSeconds : false,
    scheduledRefreshContexts: async () => [SYSTEM],
    checkAuth: async (req: { securityContext?: SecurityContext }, authorization?: string) => {
      try {
        req.securityContext = verifyApiToken(apiSecret, authorization);
      } catch (e) {
        if (e instanceof TokenError) throw new CubejsHandlerError(e.status, e.status === 401 ? 'Unauthorized' : 'Forbidden', e.message);
        throw e;
      }
    },
    queryRewrite: options.queryRewrite,
    logger: (message: string, params: any) => {
      if (params?.error) log(`[cube] ${message}: ${String(params.error.message ?? params.error).split('\n')[0]}`);
    },
  };
}
