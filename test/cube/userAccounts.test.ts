import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { openAppDb } from '../../cube/appdb/appDb.js';
import { hashPassword } from '../../cube/auth/passwords.js';
import { UserStore, type UserRecord } from '../../cube/auth/users.js';
import { startServer, type RunningServer } from '../../cube/server.js';
import { REPO_ROOT } from '../../lib/paths.js';
import { load, TEST_SECRET, tokenFor } from '../support/apiClient.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { productFilesIn, startProduct, type RunningProduct } from '../support/product.js';
import { EVENTS_SQL, FIXTURE_MODEL } from './fixtures.js';

/*
 * Users live in the application database (issue 24, "app state in a real database"): a users file
 * seeds it, `npm run users` manages it, and every server on it sees a change at once. A removed
 * user, or one whose role, tenant or password changed, can neither sign in as before nor go on
 * with a session signed in earlier: before, users were read from users.json once at start, so a
 * removed user kept signing in until a restart, and their 8-hour session kept working.
 */
const tmp = tempDir();
const appDb = path.join(tmp.dir, 'app.sqlite');
const usersFile = path.join(tmp.dir, 'users.json');
const PASSWORD = 'correct horse';
const boardQuery = { measures: ['board.customers'], dimensions: ['board.tenant_id'] };
let server: RunningServer;
let other: RunningProduct;

const users = async (): Promise<UserRecord[]> => [
  { username: 'mika', role: 'marketer', tenant_id: 't01', password_hash: await hashPassword(PASSWORD) },
  { username: 'ren', role: 'marketer', tenant_id: 't01', password_hash: await hashPassword(PASSWORD) },
  { username: 'sora', role: 'marketer', tenant_id: 't01', password_hash: await hashPassword(PASSWORD) },
];
const signIn = (baseUrl: string, username: string, password = PASSWORD) =>
  fetch(`${baseUrl}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
const sessionOf = async (baseUrl: string, username: string) => {
  const res = await signIn(baseUrl, username);
  expect(res.status).toBe(200);
  return (await res.json()).token as string;
};
/** `npm run users -- …` on the shared application database, as an operator runs it. */
const usersCommand = (args: string[], env: Record<string, string> = {}) =>
  promisify(execFile)('npx', ['tsx', 'cube/usersCli.ts', ...args], { cwd: REPO_ROOT, env: { ...process.env, CRM_APP_DB: appDb, ...env } });

beforeAll(async () => {
  writeFileSync(usersFile, JSON.stringify(await users()));
  const warehouse = path.join(tmp.dir, 'w.duckdb');
  await createDuckDBFile(warehouse, EVENTS_SQL);
  server = await startServer({ warehouse, apiSecret: TEST_SECRET, port: 0, modelPath: FIXTURE_MODEL, webDist: null, refreshIntervalSeconds: 0, usersFile, appDb });
  // A second server process on the same application database, with its own warehouse file.
  const dir = path.join(tmp.dir, 'second');
  mkdirSync(dir);
  const secondWarehouse = path.join(dir, 'w.duckdb');
  await createDuckDBFile(secondWarehouse, EVENTS_SQL);
  other = await startProduct({ ...productFilesIn(dir), CRM_WAREHOUSE: secondWarehouse, CRM_MODEL_PATH: FIXTURE_MODEL, CRM_WEB: 'off', CRM_APP_DB: appDb });
}, 180_000);
afterAll(async () => {
  await other?.stop();
  await server?.close();
  tmp.remove();
});

describe('users in the application database', () => {
  it('signs in on either server a user the first imported from its users file', async () => {
    expect((await signIn(other.url, 'mika')).status).toBe(200);
    expect((await signIn(server.url, 'ren')).status).toBe(200);
  });

  it('a user removed with npm run users can no longer sign in, and their open sessions end on both servers', async () => {
    const first = await sessionOf(server.url, 'sora');
    const second = await sessionOf(other.url, 'sora');
    expect((await load(other.url, boardQuery, first)).status).toBe(200);

    const { stdout } = await usersCommand(['remove', 'sora']);
    expect(stdout).toContain('Removed sora');

    for (const [url, token] of [
      [server.url, first],
      [other.url, first],
      [server.url, second],
      [other.url, second],
    ]) {
      const answer = await load(url, boardQuery, token);
      expect(answer.status).toBe(401);
      expect(answer.body.error).toBe('This account was removed: its sessions have ended.');
    }
    expect((await signIn(server.url, 'sora')).status).toBe(401);
    expect((await signIn(other.url, 'sora')).status).toBe(401);
  }, 60_000);

  it('a role change ends the sessions signed in under the old role; signing in again gives the new one', async () => {
    const before = await sessionOf(server.url, 'ren');
    await usersCommand(['set', 'ren', '--role', 'executive']);
    const refused = await load(other.url, boardQuery, before);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe("This account's role, tenant or password changed: sign in again.");
    const res = await signIn(other.url, 'ren');
    expect((await res.json()).identity).toEqual({ tenant_id: 't01', role: 'executive', sub: 'ren' });
  }, 60_000);

  it('a new password ends the old sessions and the old password', async () => {
    const before = await sessionOf(server.url, 'mika');
    await usersCommand(['set', 'mika', '--password'], { CRM_NEW_PASSWORD: 'battery staple' });
    expect((await load(server.url, boardQuery, before)).status).toBe(401);
    expect((await signIn(server.url, 'mika')).status).toBe(401);
    expect((await signIn(other.url, 'mika', 'battery staple')).status).toBe(200);
  }, 60_000);

  it('API tokens (npm run token) are not sessions: one naming a removed user as its subject still answers', async () => {
    expect((await load(server.url, boardQuery, tokenFor({ tenant_id: 't01', role: 'marketer', sub: 'sora' }))).status).toBe(200);
  });

  it('npm run users refuses a plain mistake with a clear message and exit code 2', async () => {
    const failure = await usersCommand(['add', 'kai', '--role', 'marketer', '--tenant', '*'], { CRM_NEW_PASSWORD: 'long enough' }).catch((e) => e);
    expect(failure.code).toBe(2);
    expect(failure.stderr).toContain('npm run users -- add (kai): only admins may have tenant_id "*".');
  }, 30_000);
});

describe('the users file seeds the database', () => {
  it('is imported once per content: unchanged it is not read again, changed it creates and updates, and never removes', async () => {
    const dir = path.join(tmp.dir, 'seed');
    mkdirSync(dir);
    const file = path.join(dir, 'users.json');
    const db = openAppDb(path.join(dir, 'app.sqlite'));
    const store = new UserStore(db);
    const [mika, ren] = await users();
    writeFileSync(file, JSON.stringify([mika, ren]));
    expect(store.importFileOnce(file)).toBe(2);
    store.remove('ren');
    // The same content again: not imported again, so ren stays removed.
    expect(store.importFileOnce(file)).toBe(0);
    expect(store.list().map((u) => u.username)).toEqual(['mika']);
    // A changed file: mika's role is updated, kai added; ren, listed again, comes back.
    const kai = { ...mika, username: 'kai' };
    writeFileSync(file, JSON.stringify([{ ...mika, role: 'executive' }, ren, kai]));
    expect(store.importFileOnce(file)).toBe(3);
    expect(store.list().map((u) => [u.username, u.role])).toEqual([
      ['kai', 'marketer'],
      ['mika', 'executive'],
      ['ren', 'marketer'],
    ]);
    db.close();
  });
});
