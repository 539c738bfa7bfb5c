/** `npm run token -- --tenant ID|* --role ROLE [--expires 1h]`: prints an API token for the configured secret. */
import { parseArgs } from 'node:util';
import { readConfig, resolveApiSecret } from './config.js';
import { isRole, ROLES } from './auth/securityContext.js';
import { durationSeconds, isDuration, MAX_TOKEN_LIFETIME_SECONDS, signApiToken } from './auth/tokens.js';

const USAGE = `Usage: npm run token -- --tenant <tenant_id|*> --role <${ROLES.join('|')}> [--expires 1h]
  --expires   lifetime such as 30m, 1h, 7d (default 1h, at most 30d: the API refuses longer-lived tokens)
The token is signed with CUBEJS_API_SECRET, or the local secret file npm start created.`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

let values: { tenant?: string; role?: string; expires?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: { tenant: { type: 'string' }, role: { type: 'string' }, expires: { type: 'string' }, help: { type: 'boolean' } },
  }));
} catch (e) {
  fail((e as Error).message);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!values.tenant) fail('Missing --tenant.');
if (!isRole(values.role)) fail(values.role ? `Unknown role "${values.role}".` : 'Missing --role.');
const expires = values.expires ?? '1h';
if (!isDuration(expires)) fail(`--expires must look like 30m, 1h or 7d, got "${expires}".`);
if (durationSeconds(expires) === 0 || durationSeconds(expires) > MAX_TOKEN_LIFETIME_SECONDS) fail(`--expires must be more than 0 and at most 30d, got "${expires}".`);
if (values.tenant === '*' && values.role !== 'admin') fail('Only admin tokens may have --tenant "*".');

const { secret } = resolveApiSecret(readConfig());
console.log(signApiToken(secret, { tenant_id: values.tenant, role: values.role }, expires));
