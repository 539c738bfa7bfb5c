import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { ApiGateway } from '../../cube/cubePackages.js';
import { checkCubeInternals, CUBE_CLASSES, CUBE_INTERNALS, PINNED_CUBE_VERSION, installedCubeVersion } from '../../cube/engine/cubeInternals.js';
import { startServer, StartupError } from '../../cube/server.js';
import { TEST_SECRET } from '../support/apiClient.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { EVENTS_SQL, FIXTURE_MODEL } from './fixtures.js';

// Every private internal of Cube the server relies on is reached from cube/engine/ and checked
// when the server starts, so that a Cube upgrade that drops one fails at start, naming it.
const tmp = tempDir();
const warehouse = path.join(tmp.dir, 'w.duckdb');
beforeAll(async () => createDuckDBFile(warehouse, EVENTS_SQL));
afterAll(() => tmp.remove());

describe("Cube's internals", () => {
  it('are the ones the engine was written against, listed once', () => {
    // The list in cube/engine/cubeInternals.ts, written out: adding a use of an internal means adding it here.
    expect(CUBE_INTERNALS.map((i) => `${i.owner}.${i.name}`)).toEqual([
      'CubejsServerCore.createCompilerApi',
      'CubejsServerCore.createApiGatewayInstance',
      'CubejsServerCore.apiGateway',
      'CubejsServerCore instance.handleScheduledRefreshInterval',
      'CubejsServerCore instance.orchestratorStorage.storage',
      'ApiGateway.getResultInternal',
      'ApiGateway.filterVisibleItemsInMeta',
      'ApiGateway.handleError',
      'ApiGateway.load',
      'ApiGateway.createSQLServerInstance',
      'ApiGateway.getNormalizedQueries',
      'ApiGateway.getSqlQueriesInternal',
      'ApiGateway.contextByReq',
      'CompilerApi.getCompilers',
      'CompilerApi.compileSchema',
      'CompilerApi.createNativeInstance',
      'CompilerApi.metaConfig',
      'CompilerApi.getSql',
      'LocalQueueDriverConnection.addToQueue',
      'LocalQueueDriverConnection.getResultBlocking',
      'LocalQueueDriverConnection.getActiveAndToProcess',
      'LocalQueueDriverConnection.retrieveForProcessing',
      'LocalQueueDriverConnection.setResultAndRemoveQuery',
      'LocalQueueDriverConnection.getQueryAndRemove',
      'LocalQueueDriverConnection.freeProcessingLock',
      'LocalQueueDriverConnection.redisHash',
      'BaseQuery.newFilter',
      'BaseQuery.newMeasure',
      'BaseQuery.renderSqlMeasure',
      'BaseQuery.aggregateOnGroupedColumn',
      'BaseQuery.convertTz',
      'BaseQuery.timeGroupedColumn',
      'BaseQuery.countDistinctApprox',
      'BaseQuery.sqlTemplates',
      'BaseQuery.safeEvaluateSymbolContext',
      'BaseFilter.castParameter',
      'BaseFilter.likeIgnoreCase',
      'BaseFilter.definition',
      'BaseMeasure.isAdditive',
      'BaseMeasure.measureDefinition',
      'LocalQueueDriver instance.options',
      'LocalQueueDriver instance.toProcess',
      'LocalQueueDriver instance.active',
      'LocalQueueDriver instance.queryDef',
      'LocalQueueDriver instance.heartBeat',
      'LocalQueueDriver instance.recent',
      'LocalQueueDriver instance.processingLocks',
    ]);
    expect(installedCubeVersion()).toBe(PINNED_CUBE_VERSION);
    expect(() => checkCubeInternals(CUBE_CLASSES, null)).not.toThrow();
  });

  it('missing from a stand-in for another Cube version are named with the version', () => {
    // A queue driver whose maps were renamed: the instance field is looked for, not only methods.
    class RenamedQueue extends CUBE_CLASSES.LocalQueueDriver {
      constructor(options: object) {
        super(options);
        (this as Record<string, unknown>).toProcess = undefined;
      }
    }
    expect(() => checkCubeInternals({ ...CUBE_CLASSES, LocalQueueDriver: RenamedQueue }, null)).toThrow(
      `Cube ${PINNED_CUBE_VERSION} has no field LocalQueueDriver.toProcess, which this server relies on (written against Cube ${PINNED_CUBE_VERSION};`,
    );
  });

  it('fail the start, naming the missing one, when the installed Cube lacks it', async () => {
    // Cube's gateway as a release without getSqlQueriesInternal would be (restored below).
    const prototype = ApiGateway.prototype as unknown as Record<string, unknown>;
    const original = prototype.getSqlQueriesInternal;
    delete prototype.getSqlQueriesInternal;
    try {
      const start = startServer({ warehouse, apiSecret: TEST_SECRET, port: 0, modelPath: FIXTURE_MODEL, webDist: null, refreshIntervalSeconds: 0 });
      await expect(start).rejects.toThrow(StartupError);
      await expect(start).rejects.toThrow(
        `Cube ${PINNED_CUBE_VERSION} has no method ApiGateway.getSqlQueriesInternal, which this server relies on (written against Cube ${PINNED_CUBE_VERSION}; called: a query's SQL under the caller's policies (extracts)). Install Cube ${PINNED_CUBE_VERSION} (npm ci), or adapt cube/engine/ to the new version.`,
      );
    } finally {
      prototype.getSqlQueriesInternal = original;
    }
  });

  it('let the server start when all are there', async () => {
    const server = await startServer({ warehouse, apiSecret: TEST_SECRET, port: 0, modelPath: FIXTURE_MODEL, webDist: null, refreshIntervalSeconds: 0 });
    await server.close();
  });
});
