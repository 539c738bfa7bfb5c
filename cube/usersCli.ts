/**
 * `npm run users -- list | add NAME --role R --tenant T | set NAME [--role R] [--tenant T] [--password] | remove NAME`:
 * manages who may sign in, in the application database (CRM_APP_DB) every server shares. A new
 * password is read from CRM_NEW_PASSWORD or the first line of standard input, never from the
 * command line (it would stay in the shell's history and the process list).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openAppDb } from './appdb/appDb.js';
import { hashPassword } from './auth/passwords.js';
import { ROLES } from './auth/securityContext.js';
import { checkUserRecord, UserStore, UsersFileError } from './auth/users.js';
import { readConfig } from './config.js';

const USAGE = `Usage: npm run users -- <command>
  list                                     the users, by tenant
  add <username> --role <role> --tenant <tenant_id|*>   a new user (password from CRM_NEW_PASSWORD or standard input)
  set <username> [--role <role>] [--tenant <tenant_id|*>] [--password]   changes a user; their sessions end
  remove <username>                        the user can no longer sign in; their sessions end
Roles: ${ROLES.filter((r) => r !== 'embed').join(', ')}. The database is CRM_APP_DB (default data/app.sqlite).`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function newPassword(): string {
  const password = process.env.CRM_NEW_PASSWORD ?? readFileSync(0, 'utf8').split(/\r?\n/)[0];
  if (!password || password.length < 8) fail('The new password (CRM_NEW_PASSWORD or the first line of standard input) must have at least 8 characters.');
  return password;
}

let parsed: ReturnType<typeof parseArgs<{ options: { role: { type: 'string' }; tenant: { type: 'string' }; password: { type: 'boolean' }; help: { type: 'boolean' } }; allowPositionals: true }>>;
try {
  parsed = parseArgs({ options: { role: { type: 'string' }, tenant: { type: 'string' }, password: { type: 'boolean' }, help: { type: 'boolean' } }, allowPositionals: true });
} catch (e) {
  fail((e as Error).message);
}
const { values, positionals } = parsed;
const [command, username] = positionals;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const config = readConfig();
const db = openAppDb(config.appDb);
const users = new UserStore(db);
try {
  if (command === 'list') {
    for (const u of users.list()) console.log(`${u.tenant_id}\t${u.role}\t${u.username}\t(changed ${u.updated_at})`);
  } else if (command === 'add') {
    if (!username) fail('Missing the username.');
    if (users.record(username)) fail(`User "${username}" exists already: change it with npm run users -- set ${username} …`);
    users.save([checkUserRecord({ username, role: values.role, tenant_id: values.tenant, password_hash: await hashPassword(newPassword()) }, 'npm run users -- add')]);
    console.log(`Added ${username} (${values.role}, tenant ${values.tenant}).`);
  } else if (command === 'set') {
    const current = username ? users.record(username) : null;
    if (!current) fail(username ? `No user "${username}".` : 'Missing the username.');
    const password_hash = values.password ? await hashPassword(newPassword()) : current.password_hash;
    const changed = users.save([checkUserRecord({ ...current, role: values.role ?? current.role, tenant_id: values.tenant ?? current.tenant_id, password_hash }, 'npm run users -- set')]);
    console.log(changed ? `Changed ${username}: their sessions have ended.` : `Nothing to change for ${username}.`);
  } else if (command === 'remove') {
    if (!username) fail('Missing the username.');
    console.log(users.remove(username) ? `Removed ${username}: they can no longer sign in, and their sessions have ended.` : `No user "${username}".`);
  } else {
    fail(command ? `Unknown command "${command}".` : 'Missing the command.');
  }
} catch (e) {
  if (!(e instanceof UsersFileError)) throw e;
  fail(e.message);
} finally {
  db.close();
}
