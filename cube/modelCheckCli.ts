/**
 * `npm run model:check [-- --model DIR] [--warehouse PATH|URL] [--server URL]`: compiles and
 * lints the model and runs every member's SQL against the warehouse; exit 1 on any issue.
 * While the server holds the DuckDB file, the server runs the same checks (GET /api/model/check).
 */
import './productionEnv.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from './config.js';
import { serverAccess } from '../lib/serverAccess.js';
import { describeIssue, lintModel, type ModelIssue } from './modelCheck.js';
import { modelDigest } from './modelDigest.js';
import { startServer, StartupError } from './server.js';
import { redactUrl } from '../lib/redactUrl.js';
import { isPostgresUrl } from './warehouse.js';

const config = readConfig();
const { values } = parseArgs({ options: { model: { type: 'string' }, warehouse: { type: 'string' }, server: { type: 'string' } } });
const modelPath = path.resolve(values.model ?? config.modelPath);
const warehouse = values.warehouse ?? config.warehouse;
const hasWarehouse = isPostgresUrl(warehouse) || existsSync(warehouse);

/** The running server's own check of the model it serves, through its warehouse connection. */
async function askRunningServer(): Promise<ModelIssue[]> {
  let access;
  try {
    access = serverAccess({ server: values.server }, 'model-check');
  } catch (e) {
    throw new Error(`${warehouse} is held by another process, and ${(e as Error).message}`);
  }
  const { url, token } = access;
  let res: Response;
  try {
    res = await fetch(`${url}/api/model/check`, { headers: { Authorization: token } });
  } catch {
    throw new Error(`${warehouse} is held by another process, and no server answers at ${url} (set --server or PORT to the server's address).`);
  }
  const body = (await res.json()) as { modelDigest?: string; issues?: ModelIssue[]; error?: string };
  if (!res.ok || !body.issues) throw new Error(`The server at ${url} could not check the model: ${body.error ?? res.status}`);
  // The server does not say where its model is; its files' fingerprint says whether they are these.
  if (body.modelDigest !== modelDigest(modelPath)) {
    throw new Error(`The server at ${url} serves model files that differ from those in ${modelPath}: check the folder it serves (CRM_MODEL_PATH), or stop the server.`);
  }
  console.log(`The warehouse is held by the server at ${url}: it checked the model it serves.`);
  return body.issues;
}

async function issuesAgainstWarehouse(): Promise<ModelIssue[]> {
  let server;
  try {
    server = await startServer({ warehouse, apiSecret: 'model-check', port: 0, modelPath, webDist: null, refreshIntervalSeconds: 0, demoIdentity: null });
  } catch (e) {
    // DuckDB: "Could not set lock on file … Conflicting lock is held in … (PID n)".
    if (e instanceof StartupError && /lock/i.test(e.message)) return askRunningServer();
    throw e;
  }
  try {
    return await server.modelIssues();
  } finally {
    await server.close();
  }
}

try {
  let issues: ModelIssue[];
  if (hasWarehouse) {
    issues = await issuesAgainstWarehouse();
  } else {
    console.error(`No warehouse at ${warehouse}: compile and data checks skipped (run npm run seed first).`);
    issues = lintModel(modelPath).issues;
  }
  if (issues.length) {
    console.error(`Model check failed with ${issues.length} issue(s):\n${issues.map((i) => `  - ${describeIssue(i)}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`Model OK: ${lintModel(modelPath).cubes.size} cubes in ${modelPath}${hasWarehouse ? `, compiled and checked against ${redactUrl(warehouse)}` : ''}.`);
} catch (e) {
  console.error(`Model check could not run: ${(e as Error).message}`);
  process.exit(2);
}
