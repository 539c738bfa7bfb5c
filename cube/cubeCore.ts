import { ApiGateway, CubejsHandlerError, CubejsServerCore } from './cubePackages.js';
import { NATIVE_UNAVAILABLE, NativeInstanceStandIn } from './native/nativeStandIn.js';

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
  createSQLServerInstance() {
    return new SqlApiUnavailable() as any;
  }

  /** Upstream shows which pre-aggregations served a query only in dev mode; we always do. */
  getResultInternal(...args: any[]) {
    const result = super.getResultInternal(...args);
    const response = args[5] as { usedPreAggregations?: Record<string, unknown> };
    return { ...result, usedPreAggregations: response.usedPreAggregations ?? {} };
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

  createApiGatewayInstance(apiSecret: string, getCompilerApi: any, getOrchestratorApi: any, logger: any, options: any) {
    return new CrmApiGateway(apiSecret, getCompilerApi, getOrchestratorApi, logger, options) as any;
  }
}
