import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { hashPassword } from '../../cube/auth/passwords.js';
import type { Role } from '../../cube/auth/securityContext.js';
import { REPO_ROOT } from '../../cube/paths.js';
import { generateWarehouse } from '../../seeds/generate.js';
import { tempDir } from './duckdbFile.js';
import { productFilesIn, startProduct } from './product.js';
import { TEST_WAREHOUSE } from './warehouses.js';

export const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'screenshots');

/** Test users of the browser tests (password = username + '-pw'). */
export const BROWSER_USERS = [
  { username: 'admin', role: 'admin' as const, tenant_id: '*' },
  { username: 'marketer', role: 'marketer' as const, tenant_id: 't01' },
  { username: 'manager', role: 'crm_manager' as const, tenant_id: 't01' },
];

/** The product as `npm start` runs it (production mode), over a copy of the generated test warehouse. */
export interface ServedProduct {
  /** The untouched generated file: plain SQL checks run against it. */
  duckdbFile: string;
  /** `url` is the root URL `npm start` printed. */
  server: { url: string };
  stop(): Promise<void>;
}

/**
 * Generates the test warehouse and starts the product on a copy of it with `npm start`: the
 * browser tests see what a user sees, production mode included (see support/product.ts).
 */
export async function serveWebApp(
  extra: {
    embedOrigins?: string[];
    chartsFile?: string;
    modelPath?: string;
    demoToken?: boolean;
    /** Adds to the generated warehouse before it is served (imports, CLV fits). */
    prepare?: (warehouseFile: string) => Promise<void>;
    /** Users besides BROWSER_USERS (same password rule). */
    users?: { username: string; role: Role; tenant_id: string }[];
  } = {},
): Promise<ServedProduct> {
  const tmp = tempDir('crm-web-');
  mkdirSync(SCREENSHOTS, { recursive: true });
  const duckdbFile = path.join(tmp.dir, 'warehouse.duckdb');
  await generateWarehouse({ out: duckdbFile, ...TEST_WAREHOUSE });
  await extra.prepare?.(duckdbFile);
  // The server writes pre-aggregations into its file; plain SQL reads an untouched copy.
  const served = path.join(tmp.dir, 'served.duckdb');
  copyFileSync(duckdbFile, served);
  const usersFile = path.join(tmp.dir, 'users.json');
  const users = await Promise.all([...BROWSER_USERS, ...(extra.users ?? [])].map(async (u) => ({ ...u, password_hash: await hashPassword(`${u.username}-pw`) })));
  writeFileSync(usersFile, JSON.stringify(users));
  try {
    const product = await startProduct({
      CRM_WAREHOUSE: served,
      ...productFilesIn(tmp.dir),
      ...(extra.chartsFile ? { CRM_CHARTS_FILE: extra.chartsFile } : {}),
      CRM_EMBED_ORIGINS: (extra.embedOrigins ?? []).join(','),
      CRM_DEMO_TOKEN: extra.demoToken ? 'on' : 'off',
      ...(extra.modelPath ? { CRM_MODEL_PATH: extra.modelPath } : {}),
    });
    return {
      duckdbFile,
      server: { url: product.url },
      async stop() {
        await product.stop();
        tmp.remove();
      },
    };
  } catch (e) {
    tmp.remove();
    throw e;
  }
}

export async function signIn(page: Page, baseUrl: string, username: string, at = '/board?lang=en'): Promise<void> {
  await page.goto(`${baseUrl}${at}`);
  await page.getByPlaceholder('Username').fill(username);
  await page.getByPlaceholder('Password').fill(`${username}-pw`);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
