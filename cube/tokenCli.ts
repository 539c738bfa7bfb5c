/** `npm run token -- --tenant ID|* --role ROLE [--expires 1h]`: prints an API token for the configured secret. */
import { parseArgs } from 'node:util';
import { readConfig, resolveApiSecret } from './config.js';
import { isRole, ROLES } from './auth/securityContext.js';
import { isDuration, signApiToken } from './auth/tokens.js';

const USAGE = `Usage: npm run token -- --tenant <tenant_id|*> --role <${ROLES.join('|')}> [--expires 1h]
  --expires   lifetime such as 30m, 1h, 7d (default 1h)
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

const { secret } = resolveApiSecret(readConfig());
console.log(signApiToken(secret, { tenant_id: values.tenant, role: values.role }, expires));
