import { ApiGateway, CubejsServerCore } from '../cubePackages.js';
import { NativeInstanceStandIn } from '../native/nativeStandIn.js';
import type { ModelGuard } from '../modelGuard.js';
import type { GatewayPolicy, RequestContext } from '../policy/gatewayPolicy.js';

/**
 * Takes the place of Cube's SQL (Postgres-wire) API, which lives in the native module: started
 * and stopped with the gateway, never asked (server.ts answers /cubejs-api/v1/cubesql with 501).
 */
class SqlApiUnavailable {
  async init(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

// Typed loosely: the hooks overridden here are private in Cube's declarations.
const Gateway = ApiGateway as unknown as new (...args: any[]) => any;

/** What the product adds to Cube's gateway: its policies, and what clients are told of errors. */
export interface GatewayHooks {
  policy: GatewayPolicy;
  /** The error to answer with instead of `e` (the driver's text never reaches a client). */
  answerError(e: unknown, requestId: string): unknown;
  /**
   * Told of every /load answer (the audit trail): what was asked, what was answered, in how many
   * ms, and the rollups that served it (their names, which clients are not told).
   */
  answered?(context: RequestContext, query: unknown, message: unknown, status: number, durationMs: number, rollups: string[]): void;
}

/** A rollup that served a query: the table Cube read it from (a versioned internal name). */
export interface UsedRollup {
  targetTableName: string;
}
export type UsedRollups = Record<string, UsedRollup>;

/** A /load request as the gateway takes it; `rollupsUsed` (in-process callers only) is told which rollup tables served it. */
export interface LoadRequest {
  context: object;
  query: unknown;
  queryType?: unknown;
  res: (message: unknown, options?: { status?: number }) => void;
  rollupsUsed?: (rollups: UsedRollups) => void;
}

/**
 * The answer without `usedPreAggregations` (internal table names, which no client is told: not
 * the web app, which never read them, nor an embed), and the rollups it named.
 */
function withoutRollups(message: unknown): { answer: unknown; rollups: UsedRollups } {
  const rollups: UsedRollups = {};
  const strip = (result: unknown) => {
    if (!result || typeof result !== 'object' || !('usedPreAggregations' in result)) return result;
    const { usedPreAggregations, ...rest } = result as { usedPreAggregations?: UsedRollups };
    Object.assign(rollups, usedPreAggregations);
    return rest;
  };
  const results = (message as { results?: unknown })?.results;
  const answer = Array.isArray(results) ? { ...(message as object), results: results.map(strip) } : strip(message);
  return { answer, rollups };
}

type Row = Record<string, unknown>;

/** Cube's compact form of a result's rows: member names once, then one array of values per row. */
function toCompact(rows: Row[]): { members: string[]; dataset: unknown[][] } {
  const members = Object.keys(rows[0] ?? {});
  return { members, dataset: rows.map((row) => members.map((m) => row[m])) };
}

class CrmApiGateway extends Gateway {
  hooks: GatewayHooks | null = null;

  createSQLServerInstance() {
    return new SqlApiUnavailable() as any;
  }

  /**
   * Every load, over HTTP or in-process (charts, embeds, extracts), tells `answered` what it
   * answered; the client gets the answer without the rollups' table names.
   */
  async load(request: LoadRequest) {
    const started = performance.now();
    return super.load({
      ...request,
      res: (message: unknown, options?: { status?: number }) => {
        const { answer, rollups } = withoutRollups(message);
        this.hooks?.answered?.(request.context as RequestContext, request.query, answer, options?.status ?? 200, performance.now() - started, Object.keys(rollups));
        request.rollupsUsed?.(rollups);
        request.res(answer, options);
      },
    });
  }

  /**
   * Every query result passes through the policy here, whatever route asked for it. Upstream
   * names the pre-aggregations that served a query only in dev mode; here always, for `load`
   * to take them out of the answer (the audit trail and the extracts read them).
   */
  async getResultInternal(context: RequestContext, queryType: unknown, normalizedQuery: unknown, sqlQuery: unknown, annotation: unknown, response: any, responseType?: string) {
    // Suppression reads rows by member name, so the compact format is made afterwards.
    const result = super.getResultInternal(context, queryType, normalizedQuery, sqlQuery, annotation, response, 'default');
    const shaped = this.hooks ? await this.hooks.policy.shapeResult(context, result) : result;
    const answer = { ...shaped, usedPreAggregations: response.usedPreAggregations ?? {} };
    return responseType === 'compact' ? { ...answer, data: toCompact(answer.data) } : answer;
  }

  filterVisibleItemsInMeta(context: RequestContext, cubes: any[]) {
    const visible = super.filterVisibleItemsInMeta(context, cubes);
    return this.hooks ? this.hooks.policy.visibleMeta(context, visible) : visible;
  }

  handleError(args: { e: unknown; context?: RequestContext }) {
    const e = this.hooks ? this.hooks.answerError(args.e, args.context?.requestId ?? 'unknown') : args.e;
    return super.handleError({ ...args, e });
  }
}

/**
 * Cube Core 0.35.81 on the pure-JavaScript path: the same server-core, API gateway and
 * schema compiler as upstream, with the two entry points that would load
 * `@cubejs-backend/native` replaced.
 */
export class CrmCubeCore extends CubejsServerCore {
  /** Set before the first request: the gateway reads them for every query. */
  gatewayHooks: GatewayHooks | null = null;
  /** Set before the first compile: keeps the last good model serving when a file breaks. */
  modelGuard: ModelGuard | null = null;

  createCompilerApi(repository: any, options: any = {}) {
    const compilerApi = super.createCompilerApi(repository, options) as any;
    // Read at every compile; the upstream instance would load the native module for Jinja.
    compilerApi.nativeInstance = new NativeInstanceStandIn();
    if (this.modelGuard) {
      compilerApi.getCompilers = this.modelGuard.compilersFor({
        version: async () => {
          const version = (compilerApi.schemaVersion && (await compilerApi.schemaVersion())) || 'default_schema_version';
          return typeof version === 'object' ? JSON.stringify(version) : String(version);
        },
        compile: (version, requestId) => compilerApi.compileSchema(version, requestId),
        adopt: (version, compilers) => {
          compilerApi.compilers = Promise.resolve(compilers);
          compilerApi.compilerVersion = version;
        },
      });
    }
    return compilerApi;
  }

  createApiGatewayInstance(apiSecret: string, getCompilerApi: any, getOrchestratorApi: any, logger: any, options: any) {
    const gateway = new CrmApiGateway(apiSecret, getCompilerApi, getOrchestratorApi, logger, options);
    gateway.hooks = this.gatewayHooks;
    return gateway as any;
  }

  /** Lets go of an orchestrator no request maps to any more (dataVersion.ts); queries it runs finish. */
  forgetOrchestrator(id: string): void {
    (this as any).orchestratorStorage.storage.delete(id);
  }

  /** Queues every rollup's build now (Cube's scheduled refresh, once). */
  refreshRollups(): Promise<unknown> {
    return (this as any).handleScheduledRefreshInterval({});
  }

  /** The gateway this server's routes run on (created on first use). */
  gateway(): CrmApiGateway {
    return (this as any).apiGateway();
  }
}
