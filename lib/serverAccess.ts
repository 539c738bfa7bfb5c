import { existsSync } from 'node:fs';
import { signApiToken } from './apiToken.js';
import { localServer, resolveApiSecret } from './localServer.js';

/**
 * How a command on this machine reaches the running server when the server holds the DuckDB
 * file (npm run model:check, npm run import): its URL (`--server`, else HOST and PORT) and an
 * admin token (`--token`, else CRM_ADMIN_TOKEN, else one minted for two minutes with the API
 * secret the server uses: CUBEJS_API_SECRET or its secret file).
 */
export function serverAccess(given: { server?: string; token?: string }, sub: string, env: NodeJS.ProcessEnv = process.env): { url: string; token: string } {
  const config = localServer(env);
  const url = (given.server ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`).replace(/\/+$/, '');
  const token = given.token ?? env.CRM_ADMIN_TOKEN;
  if (token) return { url, token };
  if (!env.CUBEJS_API_SECRET && !existsSync(config.secretFile)) {
    throw new Error(
      `there is no admin token to ask the server at ${url} with: set CRM_ADMIN_TOKEN (npm run token -- --tenant '*' --role admin), ` + 'pass --token, or set CUBEJS_API_SECRET as the server has it.',
    );
  }
  const { secret } = resolveApiSecret(config, env);
  return { url, token: signApiToken(secret, { tenant_id: '*', role: 'admin', sub }, '2m') };
}
