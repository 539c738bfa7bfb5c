import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { hashPassword } from '../../cube/auth/passwords.js';
import { UserStore } from '../../cube/auth/users.js';
import { ChartStore } from '../../cube/embed/chartStore.js';
import { REPO_ROOT } from '../../cube/paths.js';
import { buildWebAppIfStale, WEB_DIST } from '../../cube/webBuild.js';
import { serveGeneratedWarehouse, type ServedWarehouse } from './warehouses.js';

export const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'screenshots');

/** Test users of the browser tests (password = username + '-pw'). */
export const BROWSER_USERS = [
  { username: 'admin', role: 'admin' as const, tenant_id: '*' },
  { username: 'marketer', role: 'marketer' as const, tenant_id: 't01' },
  { username: 'manager', role: 'crm_manager' as const, tenant_id: 't01' },
];

/** The built web app served with the API over the generated test warehouse. */
export async function serveWebApp(extra: { embedOrigins?: string[]; chartsFile?: string } = {}): Promise<ServedWarehouse> {
  await buildWebAppIfStale(() => {});
  const users = new UserStore(await Promise.all(BROWSER_USERS.map(async (u) => ({ ...u, password_hash: await hashPassword(`${u.username}-pw`) }))));
  mkdirSync(SCREENSHOTS, { recursive: true });
  return serveGeneratedWarehouse('duckdb', {
    webDist: WEB_DIST, users, demoIdentity: null,
    charts: extra.chartsFile ? new ChartStore(extra.chartsFile) : null, embedOrigins: extra.embedOrigins ?? [],
  });
}

export async function signIn(page: Page, baseUrl: string, username: string, at = '/board?lang=en'): Promise<void> {
  await page.goto(`${baseUrl}${at}`);
  await page.getByPlaceholder('Username').fill(username);
  await page.getByPlaceholder('Password').fill(`${username}-pw`);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
