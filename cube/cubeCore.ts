import { ApiGateway, CubejsServerCore } from './cubePackages.js';
import { NativeInstanceStandIn } from './native/nativeStandIn.js';
import type { ModelGuard } from './modelGuard.js';
import type { GatewayPolicy, RequestContext } from './policy/gatewayPolicy.js';

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
  /** Told of every /load answer (the audit trail): what was asked, what was answered, in how many ms. */
  answered?(context: RequestContext, query: unknown, message: unknown, status: number, durationMs: number): void;
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

  /** Every load, over HTTP or in-process (charts, embeds, extracts), tells `answered` what it answered. */
  async load(request: { context: object; query: unknown; res: (message: unknown, options?: { status?: number }) => void }) {
    const started = performance.now();
    const answered = this.hooks?.answered;
    if (!answered) return super.load(request);
    return super.load({
      ...request,
      res: (message: unknown, options?: { status?: number }) => {
        answered(request.context as RequestContext, request.query, message, options?.status ?? 200, performance.now() - started);
        request.res(message, options);
      },
    });
  }

  /**
   * Every query result passes through the policy here, whatever route asked for it. Upstream
   * shows which pre-aggregations served a query only in dev mode; we always do.
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
    const compilerApi = super.createCompilerApi(repository, options);
    // Read at every compile; the upstream instance would load the native module for Jinja.
    (compilerApi as any).nativeInstance = new NativeInstanceStandIn();
    return this.modelGuard ? this.modelGuard.guard(compilerApi) : compilerApi;
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

  /** The gateway this server's routes run on (created on first use). */
  gateway(): CrmApiGateway {
    return (this as any).apiGateway();
  }
}
