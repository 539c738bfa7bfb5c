import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hashPassword } from './passwords.js';
import { ALL_TENANTS, type Role, type SecurityContext } from './securityContext.js';

/** Who `/auth/demo-token` hands a token to, when the server runs with CRM_DEMO_TOKEN=on. */
export const DEMO_IDENTITY: SecurityContext = { tenant_id: ALL_TENANTS, role: 'admin', sub: 'local-demo' };

/**
 * Demo identities for the generated demo warehouse only (listed in README.md). A real
 * deployment writes its own users file, with hashes made as README's Security section shows.
 */
export const DEMO_USERS: { username: string; password: string; role: Role; tenant_id: string }[] = [
  { username: 'admin', password: 'demo-admin', role: 'admin', tenant_id: '*' },
  { username: 'manager.t01', password: 'demo-manager', role: 'crm_manager', tenant_id: 't01' },
  { username: 'marketer.t01', password: 'demo-marketer', role: 'marketer', tenant_id: 't01' },
  { username: 'executive.t01', password: 'demo-executive', role: 'executive', tenant_id: 't01' },
  { username: 'viewer.t01', password: 'demo-viewer', role: 'viewer', tenant_id: 't01' },
  { username: 'marketer.t02', password: 'demo-marketer', role: 'marketer', tenant_id: 't02' },
];

export async function writeDemoUsersFile(file: string): Promise<void> {
  const users = await Promise.all(DEMO_USERS.map(async ({ password, ...user }) => ({ ...user, password_hash: await hashPassword(password) })));
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600 });
}
