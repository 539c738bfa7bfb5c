import { createRequire } from 'node:module';
import { ApiGateway, BaseFilter, BaseMeasure, BaseQuery, CompilerApi, CubejsServerCore, LocalQueueDriver, LocalQueueDriverConnection } from '../cubePackages.js';

/** The Cube release whose private internals cube/engine/ was written against (package.json pins it). */
export const PINNED_CUBE_VERSION = '0.35.81';

/** The Cube release installed, as its server-core package says. */
export function installedCubeVersion(): string {
  return (createRequire(import.meta.url)('@cubejs-backend/server-core/package.json') as { version: string }).version;
}

/** Cube's classes the engine subclasses or reaches into: the real ones, or a stand-in in a test. */
export interface CubeClasses {
  CubejsServerCore: { prototype: object };
  ApiGateway: { prototype: object };
  CompilerApi: { prototype: object };
  LocalQueueDriver: new (options: any) => object;
  LocalQueueDriverConnection: { prototype: object };
  BaseQuery: { prototype: object };
  BaseFilter: { prototype: object };
  BaseMeasure: { prototype: object };
}

export const CUBE_CLASSES: CubeClasses = { CubejsServerCore, ApiGateway, CompilerApi, LocalQueueDriver, LocalQueueDriverConnection, BaseQuery, BaseFilter, BaseMeasure };

type Owner = keyof CubeClasses | 'CubejsServerCore instance' | 'LocalQueueDriver instance';

/**
 * One private internal of Cube the engine relies on: a method (on a class's prototype) or a
 * field (on an instance), and what the engine does with it.
 */
export interface CubeInternal {
  owner: Owner;
  name: string;
  kind: 'method' | 'field';
  use: string;
}

const methods = (owner: keyof CubeClasses, use: string, ...names: string[]): CubeInternal[] => names.map((name) => ({ owner, name, kind: 'method', use }));
const fields = (owner: Owner, use: string, ...names: string[]): CubeInternal[] => names.map((name) => ({ owner, name, kind: 'field', use }));

/** Every internal of Cube the engine touches; each is checked at start (checkCubeInternals). */
export const CUBE_INTERNALS: readonly CubeInternal[] = [
  ...methods('CubejsServerCore', 'replaced: the compiler API without the native module, the gateway with the policies', 'createCompilerApi', 'createApiGatewayInstance'),
  ...methods('CubejsServerCore', 'called: the gateway the routes run on', 'apiGateway'),
  ...fields('CubejsServerCore instance', 'called: builds every rollup now (buildRollups)', 'handleScheduledRefreshInterval'),
  ...fields('CubejsServerCore instance', 'read: its storage map, to let go of an orchestrator after an import', 'orchestratorStorage.storage'),
  ...methods('ApiGateway', 'overridden: results pass through the policies; errors are rewritten; loads are audited', 'getResultInternal', 'filterVisibleItemsInMeta', 'handleError', 'load'),
  ...methods('ApiGateway', 'overridden: the SQL API lives in the native module', 'createSQLServerInstance'),
  ...methods('ApiGateway', "called: a query's SQL under the caller's policies (extracts)", 'getNormalizedQueries', 'getSqlQueriesInternal'),
  ...methods('ApiGateway', 'its result (req.context) read: a draining server asks the same query in-process (cubeContextOf)', 'contextByReq'),
  ...methods('CompilerApi', 'replaced/called: the last good model keeps serving (modelGuard.ts)', 'getCompilers', 'compileSchema'),
  ...methods('CompilerApi', 'replaced: makes the nativeInstance field the engine swaps for a stand-in', 'createNativeInstance'),
  ...methods('CompilerApi', 'called: the model as compiled, and SQL for the model check', 'metaConfig', 'getSql'),
  ...methods(
    'LocalQueueDriverConnection',
    'overridden: the fair queue (fairQueueDriver.ts)',
    'addToQueue',
    'getResultBlocking',
    'getActiveAndToProcess',
    'retrieveForProcessing',
    'setResultAndRemoveQuery',
    'getQueryAndRemove',
    'freeProcessingLock',
  ),
  ...methods('LocalQueueDriverConnection', 'called: the key its maps use', 'redisHash'),
  ...methods(
    'BaseQuery',
    'overridden by the DuckDB dialect (duckdb/DuckDBQuery.ts)',
    'newFilter',
    'newMeasure',
    'renderSqlMeasure',
    'aggregateOnGroupedColumn',
    'convertTz',
    'timeGroupedColumn',
    'countDistinctApprox',
    'sqlTemplates',
  ),
  ...methods('BaseQuery', 'called: the ungrouped aliases of a cumulative measure (duckdb/DuckDBQuery.ts)', 'safeEvaluateSymbolContext'),
  ...methods('BaseFilter', 'overridden by the DuckDB dialect: numeric parameters, LIKE escapes', 'castParameter', 'likeIgnoreCase'),
  ...methods('BaseFilter', "called: the filtered member's type", 'definition'),
  ...methods('BaseMeasure', 'overridden/called: distinct counts from rollups (duckdb/distinctRollups.ts)', 'isAdditive', 'measureDefinition'),
  ...fields('LocalQueueDriver instance', "read and pruned: the queue's maps (fairQueueDriver.ts)", 'options', 'toProcess', 'active', 'queryDef', 'heartBeat', 'recent', 'processingLocks'),
];

/** An internal the installed Cube lacks: the server cannot start on it. */
export class CubeInternalMissing extends Error {}

/**
 * Throws CubeInternalMissing naming the first internal `classes` (and `core`, once made) lack,
 * and the Cube version; `core` null checks the classes only. Fields are looked for on instances:
 * a queue driver made here, and the core.
 */
export function checkCubeInternals(classes: CubeClasses, core: object | null): void {
  const queue = new classes.LocalQueueDriver({ redisQueuePrefix: 'crm-internals-check', concurrency: 1 });
  const subjects: Record<Owner, object | null> = {
    BaseQuery: classes.BaseQuery.prototype,
    BaseFilter: classes.BaseFilter.prototype,
    BaseMeasure: classes.BaseMeasure.prototype,
    CubejsServerCore: classes.CubejsServerCore.prototype,
    ApiGateway: classes.ApiGateway.prototype,
    CompilerApi: classes.CompilerApi.prototype,
    LocalQueueDriver: classes.LocalQueueDriver.prototype,
    LocalQueueDriverConnection: classes.LocalQueueDriverConnection.prototype,
    'CubejsServerCore instance': core,
    'LocalQueueDriver instance': queue,
  };
  for (const internal of CUBE_INTERNALS) {
    const subject = subjects[internal.owner];
    if (!subject) continue;
    // A dotted name is a field of a field.
    const value = internal.name.split('.').reduce<unknown>((on, key) => (on as Record<string, unknown> | undefined)?.[key], subject);
    const present = internal.kind === 'method' ? typeof value === 'function' : value !== undefined && value !== null;
    if (present) continue;
    const owner = internal.owner.replace(' instance', '');
    throw new CubeInternalMissing(
      `Cube ${installedCubeVersion()} has no ${internal.kind} ${owner}.${internal.name}, which this server relies on (written against Cube ${PINNED_CUBE_VERSION}; ${internal.use}). ` +
        `Install Cube ${PINNED_CUBE_VERSION} (npm ci), or adapt cube/engine/ to the new version.`,
    );
  }
}
