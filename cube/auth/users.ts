import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { AppDb } from '../appdb/appDb.js';
import { ALL_TENANTS, isRole, type Role, type SecurityContext } from './securityContext.js';
import { hashPassword, isPasswordHash, verifyPassword } from './passwords.js';

export interface UserRecord {
  username: string;
  role: Role;
  /** A tenant id, or `*` (admins only). */
  tenant_id: string;
  password_hash: string;
}

/** Raised when the users file cannot be used, naming the file and the entry. */
export class UsersFileError extends Error {}

export function parseUsersFile(file: string, text: string): UserRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsersFileError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) throw new UsersFileError(`${file} must hold a JSON array of users.`);
  const seen = new Set<string>();
  return data.map((entry, i) => {
    const user = checkUserRecord(entry, `${file}, user #${i + 1}`);
    if (seen.has(user.username)) throw new UsersFileError(`${file}, user #${i + 1}: username "${user.username}" appears twice.`);
    seen.add(user.username);
    return user;
  });
}

/** A user entry as the users file or `npm run users` gives it, checked; `where` names it in the error. */
export function checkUserRecord(entry: unknown, where: string): UserRecord {
  const { username, role, tenant_id, password_hash } = (entry ?? {}) as Record<string, unknown>;
  if (typeof username !== 'string' || !/^[\w.@-]{1,64}$/.test(username)) throw new UsersFileError(`${where}: "username" must be 1-64 letters, digits or . _ @ -`);
  if (!isRole(role) || role === 'embed') throw new UsersFileError(`${where} (${username}): unknown role "${String(role)}".`);
  if (typeof tenant_id !== 'string' || !tenant_id) throw new UsersFileError(`${where} (${username}): "tenant_id" is required.`);
  if (tenant_id === ALL_TENANTS && role !== 'admin') throw new UsersFileError(`${where} (${username}): only admins may have tenant_id "*".`);
  if (typeof password_hash !== 'string' || !isPasswordHash(password_hash)) {
    throw new UsersFileError(`${where} (${username}): "password_hash" must be an scrypt hash (README, Security, shows how to make one), never a plain password.`);
  }
  return { username, role, tenant_id, password_hash };
}

/** A user as the application database holds them (never their password hash). */
export interface UserAccount {
  username: string;
  role: Role;
  tenant_id: string;
  created_at: string;
  updated_at: string;
}

/** Why a signed-in session no longer holds, or null while it does. */
export type SessionEnd = 'removed' | 'changed' | null;

interface UserRow extends UserRecord {
  sessions_from: number;
}

/**
 * Who may sign in, in the application database: every server on it sees a user added, changed
 * or removed at once. A users file (CRM_USERS_FILE) seeds it: each distinct content is imported
 * once (its users created or updated; users it leaves out stay until removed with `npm run users`).
 */
export class UserStore {
  // Compared against when the user is unknown, so a login takes as long either way.
  private readonly decoyHash: Promise<string> = hashPassword('decoy-password');
  private readonly find;

  constructor(private readonly db: AppDb) {
    this.find = db.prepare<[string], UserRow>('SELECT username, role, tenant_id, password_hash, sessions_from FROM users WHERE username = ?');
  }

  /** Creates the users or brings them up to date (role, tenant, password); a change ends their sessions. Answers how many changed. */
  save(records: UserRecord[], now = Date.now()): number {
    const at = new Date(now).toISOString();
    const upsert = this.db.prepare(
      `INSERT INTO users (username, role, tenant_id, password_hash, created_at, updated_at, sessions_from) VALUES (?, ?, ?, ?, ?, ?, 0)
       ON CONFLICT (username) DO UPDATE SET role = excluded.role, tenant_id = excluded.tenant_id, password_hash = excluded.password_hash,
         updated_at = excluded.updated_at, sessions_from = ?
       WHERE users.role <> excluded.role OR users.tenant_id <> excluded.tenant_id OR users.password_hash <> excluded.password_hash`,
    );
    const from = Math.floor(now / 1000);
    return this.db.transaction(() => records.reduce((n, u) => n + upsert.run(u.username, u.role, u.tenant_id, u.password_hash, at, at, from).changes, 0)).immediate();
  }

  /** Imports a users file unless this very content was imported before; answers how many users it created or changed. */
  importFileOnce(file: string): number {
    if (!existsSync(file)) throw new UsersFileError(`Users file not found: ${file}`);
    const text = readFileSync(file, 'utf8');
    const step = `import users ${createHash('sha256').update(text).digest('hex')}`;
    if (this.db.prepare('SELECT 1 FROM app_events WHERE name = ?').get(step)) return 0;
    const changed = this.save(parseUsersFile(file, text));
    this.db.prepare('INSERT OR IGNORE INTO app_events (name, done_at, detail) VALUES (?, ?, ?)').run(step, new Date().toISOString(), file);
    return changed;
  }

  /** The user's record (with the password hash), or null. */
  record(username: string): UserRecord | null {
    const row = this.find.get(username);
    return row ? { username: row.username, role: row.role, tenant_id: row.tenant_id, password_hash: row.password_hash } : null;
  }

  /** Removes the user: they cannot sign in, and their sessions are refused from the next request. */
  remove(username: string): boolean {
    return this.db.prepare('DELETE FROM users WHERE username = ?').run(username).changes > 0;
  }

  list(): UserAccount[] {
    return this.db.prepare<[], UserAccount>('SELECT username, role, tenant_id, created_at, updated_at FROM users ORDER BY tenant_id, username').all();
  }

  get size(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  /** The identity for a correct username and password, else null. */
  async authenticate(username: string, password: string): Promise<SecurityContext | null> {
    const user = this.find.get(username);
    const ok = await verifyPassword(password, user?.password_hash ?? (await this.decoyHash));
    return user && ok ? { tenant_id: user.tenant_id, role: user.role, sub: user.username } : null;
  }

  /** Whether a session signed in at `issuedAt` (epoch seconds) for this identity still holds. */
  sessionEnd(identity: { sub: string; role: string; tenant_id: string }, issuedAt: number): SessionEnd {
    const user = this.find.get(identity.sub);
    if (!user) return 'removed';
    return user.role !== identity.role || user.tenant_id !== identity.tenant_id || issuedAt < user.sessions_from ? 'changed' : null;
  }
}
