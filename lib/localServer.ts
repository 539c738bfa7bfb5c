import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

/**
 * Where the server listens and where its API secret is kept: the server reads them to start
 * (cube/config.ts) and a command on this machine reads the same ones to reach it (serverAccess.ts),
 * so the two cannot disagree on a default.
 */
export interface LocalServer {
  port: number;
  host: string;
  secretFile: string;
}

export function localServer(env: NodeJS.ProcessEnv = process.env): LocalServer {
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}".`);
  return { port, host: env.HOST ?? '127.0.0.1', secretFile: env.CRM_SECRET_FILE ?? path.join(REPO_ROOT, '.local', 'api-secret') };
}

/**
 * The API secret: `CUBEJS_API_SECRET` when set; otherwise a random one kept in a file outside
 * git (created on first use, readable by the owner only). `created` tells the caller to say so.
 */
export function resolveApiSecret(config: Pick<LocalServer, 'secretFile'>, env: NodeJS.ProcessEnv = process.env): { secret: string; source: string; created: boolean } {
  if (env.CUBEJS_API_SECRET) return { secret: env.CUBEJS_API_SECRET, source: 'CUBEJS_API_SECRET', created: false };
  if (existsSync(config.secretFile)) {
    const secret = readFileSync(config.secretFile, 'utf8').trim();
    if (secret.length < 32) throw new Error(`${config.secretFile} holds a secret shorter than 32 characters; delete it to get a new one.`);
    return { secret, source: config.secretFile, created: false };
  }
  mkdirSync(path.dirname(config.secretFile), { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(config.secretFile, `${secret}\n`, { mode: 0o600 });
  chmodSync(config.secretFile, 0o600);
  return { secret, source: config.secretFile, created: true };
}
