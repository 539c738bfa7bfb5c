import path from 'node:path';
import { localServer, type LocalServer } from '../lib/localServer.js';
import { REPO_ROOT } from './paths.js';

// The port, host and secret are read in lib/ (the commands that call the server read them too);
// the server's code keeps reaching them through this module.
export { resolveApiSecret } from '../lib/localServer.js';

/** Every setting the server reads from the environment, with its default. Documented in README.md. */
export interface ServerConfig extends LocalServer {
  warehouse: string;
  modelPath: string;
  usersFile: string;
  chartsFile: string;
  /** Minimum number of customers a figure must describe for roles without personal data. */
  minGroupSize: number;
  /** Origins allowed to embed charts (CORS and frame-ancestors). */
  embedOrigins: string[];
  refreshIntervalSeconds: number;
  /** Hand loopback clients a 15-minute admin token at /auth/demo-token: off unless CRM_DEMO_TOKEN=on. */
  demoToken: boolean;
  /** Largest file the server's import route accepts, in bytes. */
  importMaxBytes: number;
  /** Warehouse queries one user may have running at once. */
  userQueryConcurrency: number;
  /** The application database (saved charts, embed tokens, sign-outs, audit trail). */
  appDb: string;
  /** Days the audit trail keeps an event. */
  auditRetentionDays: number;
  /** Longest an import's file may take to arrive, in seconds. */
  importReceiveSeconds: number;
}

/** Of the 4 warehouse queries Cube runs at once: one user never holds more than half. */
export const DEFAULT_USER_QUERY_CONCURRENCY = 2;

/** 1 GiB: the 541,909-line Online Retail CSV is 45 MB. */
export const DEFAULT_IMPORT_MAX_BYTES = 1 << 30;

/** Node's own limit on receiving a request: the 45 MB Online Retail file arrives in it at 150 KB/s. */
export const DEFAULT_IMPORT_RECEIVE_SECONDS = 300;

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const server = localServer(env);
  const refresh = Number(env.CRM_REFRESH_INTERVAL_SECONDS ?? 60);
  if (!Number.isFinite(refresh) || refresh < 0) {
    throw new Error(`CRM_REFRESH_INTERVAL_SECONDS must be a number of seconds (0 = off), got "${env.CRM_REFRESH_INTERVAL_SECONDS}".`);
  }
  const demoToken = env.CRM_DEMO_TOKEN ?? 'off';
  if (demoToken !== 'on' && demoToken !== 'off') throw new Error(`CRM_DEMO_TOKEN must be "on" or "off", got "${demoToken}".`);
  return {
    ...server,
    warehouse: env.CRM_WAREHOUSE ?? path.join(REPO_ROOT, 'data', 'warehouse.duckdb'),
    modelPath: env.CRM_MODEL_PATH ?? path.join(REPO_ROOT, 'model'),
    usersFile: env.CRM_USERS_FILE ?? path.join(REPO_ROOT, 'data', 'users.json'),
    // Read once, to import the charts of earlier versions into the application database.
    chartsFile: env.CRM_CHARTS_FILE ?? path.join(REPO_ROOT, 'data', 'charts.json'),
    appDb: env.CRM_APP_DB ?? path.join(REPO_ROOT, 'data', 'app.sqlite'),
    auditRetentionDays: positiveInteger('CRM_AUDIT_RETENTION_DAYS', env.CRM_AUDIT_RETENTION_DAYS, 365),
    minGroupSize: positiveInteger('CRM_MIN_GROUP_SIZE', env.CRM_MIN_GROUP_SIZE, 10),
    embedOrigins: (env.CRM_EMBED_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    refreshIntervalSeconds: refresh,
    demoToken: demoToken === 'on',
    importMaxBytes: positiveInteger('CRM_IMPORT_MAX_BYTES', env.CRM_IMPORT_MAX_BYTES, DEFAULT_IMPORT_MAX_BYTES),
    userQueryConcurrency: positiveInteger('CRM_USER_QUERY_CONCURRENCY', env.CRM_USER_QUERY_CONCURRENCY, DEFAULT_USER_QUERY_CONCURRENCY),
    importReceiveSeconds: positiveInteger('CRM_IMPORT_RECEIVE_SECONDS', env.CRM_IMPORT_RECEIVE_SECONDS, DEFAULT_IMPORT_RECEIVE_SECONDS),
  };
}

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, got "${text}".`);
  return value;
}
