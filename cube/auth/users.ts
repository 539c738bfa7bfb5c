import { existsSync, readFileSync } from 'node:fs';
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
    const where = `${file}, user #${i + 1}`;
    const { username, role, tenant_id, password_hash } = (entry ?? {}) as Record<string, unknown>;
    if (typeof username !== 'string' || !/^[\w.@-]{1,64}$/.test(username)) throw new UsersFileError(`${where}: "username" must be 1-64 letters, digits or . _ @ -`);
    if (seen.has(username)) throw new UsersFileError(`${where}: username "${username}" appears twice.`);
    seen.add(username);
    if (!isRole(role) || role === 'embed') throw new UsersFileError(`${where} (${username}): unknown role "${String(role)}".`);
    if (typeof tenant_id !== 'string' || !tenant_id) throw new UsersFileError(`${where} (${username}): "tenant_id" is required.`);
    if (tenant_id === ALL_TENANTS && role !== 'admin') throw new UsersFileError(`${where} (${username}): only admins may have tenant_id "*".`);
    if (typeof password_hash !== 'string' || !isPasswordHash(password_hash)) {
      throw new UsersFileError(`${where} (${username}): "password_hash" must be an scrypt hash (README, Security, shows how to make one), never a plain password.`);
    }
    return { username, role, tenant_id, password_hash };
  });
}

/** The users file, read once at start. */
export class UserStore {
  private readonly users: Map<string, UserRecord>;
  // Compared against when the user is unknown, so a login takes as long either way.
  private readonly decoyHash: Promise<string> = hashPassword('decoy-password');

  constructor(users: UserRecord[]) {
    this.users = new Map(users.map((u) => [u.username, u]));
  }

  static fromFile(file: string): UserStore {
    if (!existsSync(file)) throw new UsersFileError(`Users file not found: ${file}`);
    return new UserStore(parseUsersFile(file, readFileSync(file, 'utf8')));
  }

  /** The identity for a correct username and password, else null. */
  async authenticate(username: string, password: string): Promise<SecurityContext | null> {
    const user = this.users.get(username);
    const ok = await verifyPassword(password, user?.password_hash ?? (await this.decoyHash));
    return user && ok ? { tenant_id: user.tenant_id, role: user.role, sub: user.username } : null;
  }
}
