/**
 * `npm start`: creates the demo warehouse on first run (at the default path only), builds the web
 * app when its sources changed, and serves dashboard + Cube REST API on one port.
 */
import './productionEnv.js';
import { existsSync } from 'node:fs';
import { DEMO_IDENTITY, writeDemoUsersFile } from './auth/demoUsers.js';
import { readConfig, resolveApiSecret } from './config.js';
import { ensureSqliteBinding } from './appdb/sqliteBinding.js';
import { onLauncherGone } from '../lib/parentWatch.js';
import { redactUrl } from '../lib/redactUrl.js';
import { startProblem } from './warehouseFileCheck.js';
import { startupProgress, type StartupProgress } from './startupProgress.js';
import { buildWebAppIfStale, WEB_DIST, webBuildIsStale } from './webBuild.js';

async function ensureDemoWarehouse(file: string, progress: StartupProgress): Promise<void> {
  if (existsSync(file)) return;
  const { removePartialFiles } = await import('../seeds/generate.js');
  const { seedWarehouse } = await import('../seeds/pipeline.js');
  let lastStep = '';
  // Stopped while generating: no partial warehouse file stays behind.
  const abandon = (signal: NodeJS.Signals) => {
    removePartialFiles();
    console.error(`Stopped (${signal}) while generating the demo warehouse; its partial files were deleted.`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', abandon);
  process.once('SIGTERM', abandon);
  const generating = progress.begin(`generating the demo warehouse at ${file} (first run only)`);
  let fitting = () => {};
  try {
    await seedWarehouse(
      {
        out: file,
        onProgress: (step, done, total) => {
          const line = `  ${step} ${total ? Math.round((done / total) * 100) : 0}%`;
          if (line !== lastStep) console.log(line);
          lastStep = line;
        },
      },
      (line) => console.log(line),
      undefined,
      () => {
        generating();
        fitting = progress.begin('fitting predicted CLV per tenant');
      },
    );
    fitting();
  } finally {
    process.off('SIGINT', abandon);
    process.off('SIGTERM', abandon);
  }
}

const DRAIN_SECONDS = 30;

async function main(): Promise<void> {
  // Times count from the process's start: loading TypeScript and this file take seconds already.
  const progress = startupProgress(console.log, performance.timeOrigin);
  const config = readConfig();
  // Imported here, not above: the warehouse drivers take seconds to load, and this line says so.
  const { isPostgresUrl } = await progress.step('loading the warehouse drivers', () => import('./warehouse.js'));
  if (!isPostgresUrl(config.warehouse)) {
    // The demo is generated only at the default path: a configured warehouse that is gone (deleted
    // while serving, a mount missing) would otherwise be replaced by demo data, its tenants lost.
    if (process.env.CRM_WAREHOUSE === undefined) await ensureDemoWarehouse(config.warehouse, progress);
    const problem = startProblem(config.warehouse);
    if (problem) throw new Error(problem);
  }
  const { secret, source, created } = resolveApiSecret(config);
  if (created) console.log(`CUBEJS_API_SECRET is not set: created a local secret in ${source} (kept out of git).`);
  if (!existsSync(config.usersFile) && !process.env.CRM_USERS_FILE) {
    // Hashing the demo users' passwords (scrypt) takes seconds.
    await progress.step(`writing the demo users to ${config.usersFile} (first run only; README.md lists them)`, () => writeDemoUsersFile(config.usersFile));
  }
  // CRM_WEB=off serves the API only (no web build).
  const serveWeb = process.env.CRM_WEB !== 'off';
  if (serveWeb && webBuildIsStale()) await progress.step('building the web app (after its sources changed)', () => buildWebAppIfStale(() => {}));

  // better-sqlite3 is installed without its build step (.npmrc ignore-scripts): built here once if need be.
  await progress.step('checking the app database driver', ensureSqliteBinding);
  // Imported here for the same reason: loading Cube takes seconds.
  const { startServer } = await progress.step('loading Cube', () => import('./server.js'));
  const server = await progress.step('starting Cube over the warehouse', () =>
    startServer({
      warehouse: config.warehouse,
      apiSecret: secret,
      port: config.port,
      host: config.host,
      modelPath: config.modelPath,
      webDist: serveWeb ? WEB_DIST : null,
      demoIdentity: config.demoToken ? DEMO_IDENTITY : null,
      usersFile: config.usersFile,
      appDb: config.appDb,
      charts: true,
      chartsFile: config.chartsFile,
      auditRetentionDays: config.auditRetentionDays,
      minGroupSize: config.minGroupSize,
      embedOrigins: config.embedOrigins,
      refreshIntervalSeconds: config.refreshIntervalSeconds,
      importMaxBytes: config.importMaxBytes,
      userQueryConcurrency: config.userQueryConcurrency,
      importReceiveSeconds: config.importReceiveSeconds,
      log: (message) => console.error(message),
    }),
  );
  const modelErrors = await server.checkModel();
  if (modelErrors) console.error(`The model in ${config.modelPath} does not compile; queries will fail until it is fixed:\n${modelErrors}`);
  console.log(`Retail CRM analytics is running at ${server.url}  (API: ${server.url}/cubejs-api/v1, warehouse: ${redactUrl(config.warehouse)})`);
  console.log('Mint an API token with: npm run token -- --tenant "*" --role admin');
  if (config.refreshIntervalSeconds > 0) {
    // Queries are answered meanwhile: a rollup not built yet is built by the first query needing it.
    progress
      // Cube's refresh queues the builds and returns; the extracts' queries wait for their rollup.
      .step('building rollups and cohort extracts (queries are answered meanwhile)', () => server.buildRollups().then(() => server.warmExtracts()))
      .then(
        (count) => console.log(`  cohort extracts ready for ${count} scopes`),
        (e: Error) => console.error(`Building rollups and extracts at start failed; they are built on first use: ${e.message.split('\n')[0]}`),
      );
  }

  // SIGTERM/SIGINT: stop listening, let the queries in flight finish (at most 30 s), exit 0.
  // A second signal exits at once.
  // Imported once Cube is loaded: lifecycle.ts reads Cube's context (engine/), which takes seconds to load.
  const { onShutdownSignals } = await import('./lifecycle.js');
  const stopOnce = onShutdownSignals(async (reason) => {
    console.error(`${reason}: no new connections; finishing the requests in flight (at most ${DRAIN_SECONDS} s)…`);
    await server.close({ drainMs: DRAIN_SECONDS * 1000 });
    console.error('Stopped.');
  });
  // npm start execs node, so npm passes its SIGTERM straight here; npm killed outright (SIGKILL)
  // leaves this process orphaned: drain then too. npm leaving during a drain is not a second signal.
  onLauncherGone(() => stopOnce('npm was stopped'));
}

main().catch((e) => {
  console.error(e instanceof Error ? `Cannot start: ${e.message}` : e);
  process.exit(1);
});
