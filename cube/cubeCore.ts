import { ApiGateway, CubejsHandlerError, CubejsServerCore } from './cubePackages.js';
import { NATIVE_UNAVAILABLE, NativeInstanceStandIn } from './native/nativeStandIn.js';
import type { GatewayPolicy, RequestContext } from './policy/gatewayPolicy.js';

/** Takes the place of Cube's SQL (Postgres-wire) API, which lives in the native module. */
class SqlApiUnavailable {
  async init(): Promise<void> {}
  async shutdown(): Promise<void> {}
  async execSql(): Promise<never> {
    throw new CubejsHandlerError(501, 'Not Implemented', `Cube's SQL API ${NATIVE_UNAVAILABLE} Use the REST API (/cubejs-api/v1/load).`);
  }
  async sql(): Promise<never> {
    return this.execSql();
  }
}

// Typed loosely: the hooks overridden here are private in Cube's declarations.
const Gateway = ApiGateway as unknown as new (...args: any[]) => any;

class CrmApiGateway extends Gateway {
  policy: GatewayPolicy | null = null;

  createSQLServerInstance() {
    return new SqlApiUnavailable() as any;
  }

  /**
   * Every query result passes through the policy here, whatever route asked for it. Upstream
   * shows which pre-aggregations served a query only in dev mode; we always do.
   */
  async getResultInternal(context: RequestContext, queryType: unknown, normalizedQuery: unknown, sqlQuery: unknown, annotation: unknown, response: any) {
    // Suppression reads rows by member name: /load makes them compact afterwards (http/compactResponses.ts).
    const result = super.getResultInternal(context, queryType, normalizedQuery, sqlQuery, annotation, response, 'default');
    const shaped = this.policy ? await this.policy.shapeResult(context, result) : result;
    return { ...shaped, usedPreAggregations: response.usedPreAggregations ?? {} };
  }

  filterVisibleItemsInMeta(context: RequestContext, cubes: any[]) {
    const visible = super.filterVisibleItemsInMeta(context, cubes);
    return this.policy ? this.policy.visibleMeta(context, visible) : visible;
  }
}

/**
 * Cube Core 0.35.81 on the pure-JavaScript path: the same server-core, API gateway and
 * schema compiler as upstream, with the two entry points that would load
 * `@cubejs-backend/native` replaced.
 */
export class CrmCubeCore extends CubejsServerCore {
  createCompilerApi(repository: any, options: any = {}) {
    const compilerApi = super.createCompilerApi(repository, options);
    // Read at every compile; the upstream instance would load the native module for Jinja.
    (compilerApi as any).nativeInstance = new NativeInstanceStandIn();
    return compilerApi;
  }

  /** Set before the first request: the gateway reads it for every query. */
  policy: GatewayPolicy | null = null;

  createApiGatewayInstance(apiSecret: string, getCompilerApi: any, getOrchestratorApi: any, logger: any, options: any) {
    const gateway = new CrmApiGateway(apiSecret, getCompilerApi, getOrchestratorApi, logger, options);
    gateway.policy = this.policy;
    return gateway as any;
  }

  /** The gateway this server's routes run on (created on first use). */
  gateway(): CrmApiGateway {
    return (this as any).apiGateway();
  }
}
