import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { hashPassword } from '../../cube/auth/passwords.js';
import { FIXTURE_MODEL, EVENTS_SQL } from '../cube/fixtures.js';
import { ADMIN_TOKEN } from '../support/apiClient.js';
import { launchChromium } from '../support/browser.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { productFilesIn, startProduct, type RunningProduct } from '../support/product.js';

// Issue 19, item 15: the web app's "Sign out" only forgot the token in the tab; a copy of it
// (another tab, a log) kept working for 8 h. Now it also revokes it on the server (POST /auth/logout).
const tmp = tempDir();
let browser: Browser;
let product: RunningProduct;

beforeAll(async () => {
  const file = path.join(tmp.dir, 'w.duckdb');
  await createDuckDBFile(file, EVENTS_SQL);
  writeFileSync(path.join(tmp.dir, 'users.json'), JSON.stringify([{ username: 'mika', role: 'marketer', tenant_id: 't01', password_hash: await hashPassword('correct horse') }]));
  browser = await launchChromium();
  product = await startProduct({ CRM_WAREHOUSE: file, CRM_MODEL_PATH: FIXTURE_MODEL, ...productFilesIn(tmp.dir) });
});
afterAll(async () => {
  await product?.stop();
  await browser?.close();
  tmp.remove();
});

describe('signing out in the web app', { timeout: 120_000 }, () => {
  it('revokes the session token on the server, and records the sign-out', async () => {
    const page = await browser.newPage();
    await page.goto(`${product.url}/board?lang=en`);
    await page.getByPlaceholder('Username').fill('mika');
    await page.getByPlaceholder('Password').fill('correct horse');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('identity').waitFor();
    const { token } = await page.evaluate(() => JSON.parse(sessionStorage.getItem('crm.session') ?? 'null'));
    const meta = () => fetch(`${product.url}/cubejs-api/v1/meta`, { headers: { Authorization: token } });
    expect((await meta()).status).toBe(200);

    const loggedOut = page.waitForResponse((r) => r.url().endsWith('/auth/logout'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect((await loggedOut).status()).toBe(200);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect((await meta()).status).toBe(401);

    const trail = await (await fetch(`${product.url}/api/audit?kind=sign_out`, { headers: { Authorization: ADMIN_TOKEN() } })).json();
    expect(trail.events.map((e: { user_id: string }) => e.user_id)).toEqual(['mika']);
    await page.close();
  });
});
