import { createRequire } from 'node:module';

/*
 * Cube's packages are CommonJS with re-exports Node's ESM loader cannot see statically,
 * so they are required here, once, with their own type declarations.
 */
const require = createRequire(import.meta.url);

export const { ApiGateway, CubejsHandlerError } = require('@cubejs-backend/api-gateway') as typeof import('@cubejs-backend/api-gateway');
export const { CubejsServerCore, CompilerApi } = require('@cubejs-backend/server-core') as typeof import('@cubejs-backend/server-core');
export const { BaseDriver } = require('@cubejs-backend/base-driver') as typeof import('@cubejs-backend/base-driver');
export const { BaseFilter, BaseMeasure, BaseQuery } = require('@cubejs-backend/schema-compiler') as typeof import('@cubejs-backend/schema-compiler');
export const { PostgresDriver } = require('@cubejs-backend/postgres-driver') as typeof import('@cubejs-backend/postgres-driver');
export const { LocalQueueDriver, LocalQueueDriverConnection } = require('@cubejs-backend/query-orchestrator') as typeof import('@cubejs-backend/query-orchestrator');
