import express from 'express';
import { existsSync } from 'node:fs';
import { newestMtime } from './fileTree.js';
import type { Server } from 'node:http';
import path from 'node:path';
import { ALL_TENANTS, type SecurityContext } from './auth/securityContext.js';
import type { UserRecord } from './auth/users.js';
import { CubeEngine } from './engine/cubeEngine.js';
import { CubeInternalMissing } from './engine/cubeInternals.js';
import { answerClientErrors, bodyParserErrors, lastErrorHandler, notFound } from './http/errorHandlers.js';
import { gatewayErrorAnswer } from './http/gatewayErrors.js';
import { assignRequestIds } from './http/requestIds.js';
import { REPO_ROOT } from './paths.js';
import { securityHeaders } from './http/securityHeaders.js';
import { cubeApiGuards } from './http/cubeApiGuards.js';
import { serveWebApp } from './http/webApp.js';
import { chartRoutes } from './http/chartRoutes.js';
import { CohortExtracts, EXTRACT_COLUMNS, extractRoutes } from './http/extractRoutes.js';
import { IN_MEMORY } from './appdb/appDb.js';
import { openAppState } from './appdb/appState.js';
import { refuseEndedSessions } from './auth/endedSessions.js';
import { refuseRevokedTokens } from './auth/revocations.js';
import { auditRoutes } from './http/auditRoutes.js';
import { auditExtracts, auditImports } from './audit/requestAudit.js';
import { queryAuditEvent } from './audit/queryAudit.js';
import { authRoutes } from './http/authRoutes.js';
import { gatewayPolicy } from './policy/gatewayPolicy.js';
import { ROLE_CAPABILITIES } from './policy/roles.js';
import { InProcessApi } from './inProcessApi.js';
import { buildMemberIndex, type MemberIndex } from './policy/memberIndex.js';
import { noiseKey } from './policy/stickyNoise.js';
import { describeWarehouse, type CrmDriver, type Warehouse } from './warehouse.js';
import { addMissingColumns } from './addedColumns.js';
import { healthRoute } from './http/health.js';
import { closeServer, Drain } from './lifecycle.js';
import { ModelGuard } from './modelGuard.js';
import { checkMemberSql, checkPrimaryKeys, contributorIssues, lintModel, type ModelIssue } from './modelCheck.js';
import { modelCheckRoute } from './http/modelCheckRoute.js';
import { importRoute } from './http/importRoute.js';
import { IMPORT_ROUTE } from '../seeds/import/importEvents.js';
import { DataVersion } from './dataVersion.js';
import { DEFAULT_IMPORT_MAX_BYTES, DEFAULT_IMPORT_RECEIVE_SECONDS, DEFAULT_USER_QUERY_CONCURRENCY } from './config.js';
import { WarehouseImports } from './warehouseImports.js';
import { QueryClients } from './queue/queryClients.js';

export interface ServerOptions {
  /** DuckDB file path or postgres:// URL. */
  warehouse: string;
  apiSecret: string;
  /** 0 picks a free port (tests). */
  port?: number;
  host?: string;
  modelPath?: string;
  /** Built web app to serve; null serves the API only. */
  webDist?: string | null;
  /** Identity of the loopback-only demo token (CRM_DEMO_TOKEN=on); null (the default) disables `/auth/demo-token`. */
  demoIdentity?: SecurityContext | null;
  /** Users to create or update in the application database at start (who may log in at `/auth/login`). */
  users?: UserRecord[] | null;
  /** A users file (CRM_USERS_FILE) imported into the application database, once per distinct content. */
  usersFile?: string | null;
  /** Figures describing fewer customers are suppressed for roles without personal data. */
  minGroupSize?: number;
  /**
   * The application database (saved charts, embed tokens, sign-outs, audit trail): a SQLite file
   * that several servers may share, or ':memory:' (the default: this process only, for tests).
   */
  appDb?: string;
  /** Saved charts and embeds (`/api/charts`, `/embed/:id`); off unless true. */
  charts?: boolean;
  /** The saved-charts JSON file of earlier versions, imported into the application database once. */
  chartsFile?: string;
  /** Audit events are kept this many days (default 365). */
  auditRetentionDays?: number;
  /** Portal origins allowed to frame embedded charts and call their data route. */
  embedOrigins?: string[];
  /** Refresh pre-aggregations in the background (seconds between passes; 0 = off). */
  refreshIntervalSeconds?: number;
  /** Warehouse queries one user may have running at once (Cube's queue runs 4 in all). */
  userQueryConcurrency?: number;
  /** Largest file POST /api/admin/import accepts, in bytes (DuckDB warehouses only). */
  importMaxBytes?: number;
  /** Longest an import's file may take to arrive, in seconds; a slower upload is answered 408. */
  importReceiveSeconds?: number;
  log?: (message: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Cube, behind the one module that knows its internals. */
  engine: CubeEngine;
  /** Compiles the model; resolves to Cube's compile errors (naming file and member), or null. */
  checkModel(): Promise<string | null>;
  /** npm run model:check's rules on the model this server serves, against its warehouse (modelCheck.ts). */
  modelIssues(): Promise<ModelIssue[]>;
  /** Queues every rollup's build now (Cube's scheduled refresh, once); resolves when they are queued, not built. */
  buildRollups(): Promise<unknown>;
  /** Builds the cohort extracts of every tenant (roles under suppression, admins) and of all tenants; resolves to how many. */
  warmExtracts(): Promise<number>;
  /** Warehouse queries running now (Cube's and the server's own). */
  warehouseQueries(): number;
  /** Stops the server; with `drainMs`, first lets requests in flight finish (at most that long). */
  close(options?: { drainMs?: number }): Promise<void>;
}

let serverCount = 0;

/** The newest modification time under the model folder: changes whenever a model file does. */
function modelVersion(dir: string): string {
  return String(newestMtime(dir));
}

/** Raised when the server cannot start, with a message that says what to change. */
export class StartupError extends Error {}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const {
    apiSecret,
    port = 4000,
    host = '127.0.0.1',
    modelPath = path.join(REPO_ROOT, 'model'),
    webDist = path.join(REPO_ROOT, 'dist', 'web'),
    demoIdentity = null,
    refreshIntervalSeconds = 60,
    users = null,
    minGroupSize = 10,
    appDb = IN_MEMORY,
    charts = false,
    auditRetentionDays = 365,
    embedOrigins = [],
    importMaxBytes = DEFAULT_IMPORT_MAX_BYTES,
    userQueryConcurrency = DEFAULT_USER_QUERY_CONCURRENCY,
    importReceiveSeconds = DEFAULT_IMPORT_RECEIVE_SECONDS,
    log = () => {},
  } = options;
  // Cube's process-wide row ceiling: the largest of the roles' own ceilings (policy/roles.ts).
  process.env.CUBEJS_DB_QUERY_LIMIT ??= String(Math.max(...Object.values(ROLE_CAPABILITIES).map((c) => c.maxRows)));
  if (!apiSecret) throw new StartupError('CUBEJS_API_SECRET is empty: the API cannot verify tokens without it.');
  if (!existsSync(modelPath)) throw new StartupError(`Model folder not found: ${modelPath}`);
  const warehouse = describeWarehouse(options.warehouse);
  const preAggregationsSchema = 'crm_pre_aggregations';
  const driver = await openWarehouse(warehouse, preAggregationsSchema, log);

  let state;
  try {
    state = openAppState({ file: appDb, chartsFile: options.chartsFile, usersFile: options.usersFile, users, auditRetentionDays, log });
  } catch (e) {
    await driver.release().catch(() => {});
    throw new StartupError((e as Error).message);
  }
  const appState = state;

  // Who asked for each query, and who left before its answer: what the queue shares warehouse time by.
  const clients = new QueryClients();
  // Renewed after an import so that no figure from before it is served (dataVersion.ts).
  const dataVersion = new DataVersion(`crm-${process.pid}-${++serverCount}`, preAggregationsSchema);
  // A model file broken while the server runs: the last model that compiled keeps serving.
  const modelGuard = new ModelGuard(modelPath, log);
  let engine: CubeEngine;
  try {
    engine = CubeEngine.create({
      warehouse,
      driver,
      apiSecret,
      modelPath,
      modelVersion: () => modelVersion(modelPath),
      orchestratorId: () => dataVersion.orchestratorId(),
      preAggregationsSchema,
      refreshIntervalSeconds,
      queue: { clients, perUser: userQueryConcurrency, interrupt: (query) => driver.interrupt(query), log },
      queryRewrite: (query, context) => {
        clients.identify(context.requestId, context.securityContext);
        return policy.rewrite(query, context);
      },
      modelGuard,
      log,
    });
  } catch (e) {
    await driver.release().catch(() => {});
    appState.close();
    throw e instanceof CubeInternalMissing ? new StartupError(e.message) : e;
  }

  const indexes = new WeakMap<object, MemberIndex>();
  /** The compiled model's members as the policies see them, rebuilt when the model recompiles. */
  async function memberIndex(): Promise<MemberIndex> {
    const cubes = await engine.meta('policy');
    if (!indexes.has(cubes)) indexes.set(cubes, buildMemberIndex(cubes));
    return indexes.get(cubes)!;
  }
  // Every policy runs inside Cube's gateway (set before the gateway is created, on first use).
  const policy = gatewayPolicy(memberIndex, minGroupSize, noiseKey(apiSecret));
  engine.hooks = {
    policy,
    answerError: gatewayErrorAnswer(log, { label: warehouse.label, describeDamage: (text) => driver.describeDamage(text) }),
    // Every query answered or refused goes into the audit trail (one prepared insert).
    answered: (context, query, message, status, ms, rollups) => {
      const event = queryAuditEvent(context, query, message, status, ms, rollups);
      if (event) appState.audit.record(event);
    },
  };
  const api = new InProcessApi(engine, (requestId) => clients.left(requestId));
  const drain = new Drain((request) => api.answer(request));

  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders, assignRequestIds, drain.track);
  // Before every route: a signed-out or revoked token is refused wherever it is sent.
  app.use(refuseRevokedTokens(apiSecret, appState.revoked));
  app.use(refuseEndedSessions(apiSecret, appState.users));
  // Its own error handler: Cube's gateway registers a catch-all that would answer 500.
  app.use(express.json({ limit: '1mb' }), bodyParserErrors);

  // Ready = the warehouse answers and a model is compiled (http/health.ts).
  app.get('/health', healthRoute({ dbType: warehouse.dbType, driver, model: () => modelGuard.state(), draining: () => drain.isDraining(), log }));

  app.use('/auth', authRoutes({ apiSecret, users: appState.users, demoIdentity, revoked: appState.revoked, audit: appState.audit }));
  app.use('/api', auditRoutes(apiSecret, appState.audit));
  if (charts) app.use('/api', chartRoutes({ apiSecret, charts: appState.charts, embedTokens: appState.embedTokens, audit: appState.audit, api, memberIndex, embedOrigins }));
  app.get(
    '/api/model/check',
    modelCheckRoute(apiSecret, modelPath, () => modelIssues(), log),
  );
  const readColumns = (sql: string, params: unknown[]) => driver.readColumns(sql, params, EXTRACT_COLUMNS);
  const cohortExtracts = new CohortExtracts({ api, readColumns, minGroupSize, dataVersion: () => dataVersion.orchestratorId(), memberIndex, noise: noiseKey(apiSecret) });
  /** Every tenant's cohort extract for a role under suppression and for its admin, and the all-tenant one, built ahead of the first visits. */
  async function warmExtracts(): Promise<number> {
    const contexts = await extractIdentities(driver);
    await cohortExtracts.warm(contexts);
    return contexts.length;
  }
  // A warehouse the server holds (a DuckDB file: one process may write it) takes imports here.
  const importTarget = driver.importTarget();
  if (importTarget) {
    // With scheduled refreshes on (npm start), the new rows' extracts are built right after an import.
    const afterImport = async () => {
      await dataVersion.renew(engine, driver);
      if (refreshIntervalSeconds > 0) warmExtracts().catch((e: Error) => log(`[extracts] building after the import failed: ${e.message.split('\n')[0]}`));
    };
    const imports = new WarehouseImports(importTarget, afterImport, log, () => driver.problem());
    const route = importRoute({ apiSecret, imports, warehouseFile: options.warehouse, maxBytes: importMaxBytes, receiveSeconds: importReceiveSeconds, log });
    app.post(IMPORT_ROUTE, auditImports(apiSecret, appState.audit), route);
  }
  app.use('/api/extracts/:name', auditExtracts(apiSecret, appState.audit));
  app.use('/api', extractRoutes(cohortExtracts, apiSecret));

  cubeApiGuards(app, { apiSecret, modelPath, clients, drain });
  // Before Cube's routes: in production mode Cube answers / with its own banner page.
  if (webDist && existsSync(path.join(webDist, 'index.html'))) serveWebApp(app, webDist, charts ? embedOrigins : null);

  await engine.mount(app);

  app.use(notFound, lastErrorHandler(log));

  const { checkModel, modelIssues } = modelChecks({ engine, modelGuard, modelPath, driver, memberIndex });

  // Compiled before the port opens: the first compile holds the event loop for seconds, which
  // /health and the first queries would otherwise wait out.
  await checkModel();

  const server = await listen(app, port, host);
  answerClientErrors(server);
  // Node cuts off any request still arriving after 300 s: a longer receive limit for imports needs a longer one.
  server.requestTimeout = Math.max(server.requestTimeout, (importReceiveSeconds + 5) * 1000);
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;

  return {
    url,
    port: actualPort,
    engine,
    checkModel,
    modelIssues,
    // Rather than on the first dashboard visit or at the first scheduled refresh a minute on.
    warmExtracts,
    buildRollups: () => engine.buildRollups(),
    warehouseQueries: () => driver.health.inFlight,
    async close({ drainMs = 0 }: { drainMs?: number } = {}) {
      if (drainMs > 0) {
        const cutOff = await drain.drain(server, drainMs);
        if (cutOff) log(`[shutdown] ${cutOff} request(s) still running after ${drainMs / 1000} s were cut off.`);
      }
      await closeServer(server);
      await engine.shutdown().catch(() => {});
      await driver.release().catch(() => {});
      appState.close();
    },
  };
}

/**
 * The warehouse's driver, connected, with the columns the model reads added to an older
 * warehouse and rollups built before its rows last changed dropped.
 */
async function openWarehouse(warehouse: Warehouse, preAggregationsSchema: string, log: (message: string) => void): Promise<CrmDriver> {
  const driver = warehouse.createDriver();
  try {
    await driver.testConnection();
  } catch (e) {
    await driver.release().catch(() => {});
    throw new StartupError(`Cannot reach the ${warehouse.dbType} warehouse at ${warehouse.label}: ${(e as Error).message}`);
  }
  await addMissingColumns(driver, log);
  const outdated = await driver.dropOutdatedRollups(preAggregationsSchema);
  if (outdated > 0) log(`[warehouse] rows changed after the rollups in the file were built: ${outdated} rollup tables were dropped and are built again on use.`);
  return driver;
}

/** The identities whose cohort extracts are built ahead of the first visits: each tenant's marketer (under suppression) and admin, and the all-tenant admin. */
async function extractIdentities(driver: CrmDriver): Promise<SecurityContext[]> {
  const tenants = (await driver.query<{ tenant_id: string }>('SELECT tenant_id FROM tenants ORDER BY tenant_id')).map((t) => t.tenant_id);
  return [
    { tenant_id: ALL_TENANTS, role: 'admin' },
    ...tenants.flatMap((t) => [
      { tenant_id: t, role: 'marketer' as const },
      { tenant_id: t, role: 'admin' as const },
    ]),
  ];
}

interface ModelCheckParts {
  engine: CubeEngine;
  modelGuard: ModelGuard;
  modelPath: string;
  driver: CrmDriver;
  memberIndex: () => Promise<MemberIndex>;
}

/** Compiling the served model (`checkModel`: its errors, or null) and `npm run model:check`'s rules on it (`modelIssues`). */
function modelChecks({ engine, modelGuard, modelPath, driver, memberIndex }: ModelCheckParts) {
  async function checkModel(): Promise<string | null> {
    try {
      await engine.meta('model-check');
      return modelGuard.state().error;
    } catch (e) {
      return modelGuard.explain((e as Error).message);
    }
  }
  async function modelIssues(): Promise<ModelIssue[]> {
    const { issues, cubes, files } = lintModel(modelPath);
    const compileErrors = await checkModel();
    if (compileErrors) return [...issues, { file: modelPath, message: compileErrors }];
    issues.push(...contributorIssues(await memberIndex(), files));
    const run = (sql: string, params: unknown[]) => driver.query(sql, params) as Promise<unknown[]>;
    issues.push(...(await checkMemberSql(cubes, (query) => engine.memberSql(query), run)), ...(await checkPrimaryKeys(cubes, run)));
    return issues;
  }
  return { checkModel, modelIssues };
}

function listen(app: express.Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new StartupError(`Port ${port} on ${host} is already in use: stop the other server or set PORT to a free port.`));
      else reject(new StartupError(`Cannot listen on ${host}:${port}: ${e.message}`));
    });
  });
}
