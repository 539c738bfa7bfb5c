import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { hashPassword } from '../../cube/auth/passwords.js';
import { FIXTURE_MODEL, EVENTS_SQL } from '../cube/fixtures.js';
import { launchChromium } from '../support/browser.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { productFilesIn, startProduct, type RunningProduct } from '../support/product.js';

// The product as `npm start` runs it (production mode) on a small fixture: the dashboard is at
// the root URL it prints; the login page offers "continue as the demo admin" only when the
// server hands out the demo token (CRM_DEMO_TOKEN=on).
const tmp = tempDir();
const file = path.join(tmp.dir, 'w.duckdb');
const usersFile = path.join(tmp.dir, 'users.json');
let browser: Browser;
const DEMO_BUTTON = 'Continue as the demo admin (local only)';

beforeAll(async () => {
  await createDuckDBFile(file, EVENTS_SQL);
  writeFileSync(usersFile, JSON.stringify([{ username: 'mika', role: 'marketer', tenant_id: 't01', password_hash: await hashPassword('correct horse') }]));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  tmp.remove();
});

async function withProduct(demoToken: 'on' | 'off', run: (product: RunningProduct) => Promise<void>) {
  const product = await startProduct({
    CRM_WAREHOUSE: file,
    CRM_MODEL_PATH: FIXTURE_MODEL,
    ...productFilesIn(tmp.dir),
    CRM_DEMO_TOKEN: demoToken,
  });
  try {
    await run(product);
  } finally {
    await product.stop();
  }
}

describe('the root URL npm start prints', { timeout: 180_000 }, () => {
  it('opens the dashboard (its sign-in), not Cube\'s "running in production mode" banner', async () => {
    await withProduct('off', async (product) => {
      const root = await fetch(product.url);
      expect(root.status).toBe(200);
      expect(root.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await root.text()).not.toContain('Cube.js server is running');
      const page = await browser.newPage();
      await page.goto(product.url);
      await page.getByRole('button', { name: /Sign in|ログイン/ }).waitFor();
      await page.close();
    });
  });
});

// Each test starts the product (about 15 s; more when the web app needs a build).
describe('the login page', { timeout: 180_000 }, () => {
  it('shows no demo button when the demo token is off, and never asks for a token', async () => {
    await withProduct('off', async (server) => {
      const page = await browser.newPage();
      const demoRequests: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes('/auth/demo-token')) demoRequests.push(r.method());
      });
      await page.goto(`${server.url}/board?lang=en`);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.getByText(DEMO_BUTTON).count()).toBe(0);
      // Only asked whether it is offered (HEAD), never minted (GET).
      expect(demoRequests.length).toBeGreaterThan(0);
      expect([...new Set(demoRequests)]).toEqual(['HEAD']);
      await page.close();
    });
  });

  it('shows the demo button when the server hands out the demo token, and it signs in', async () => {
    await withProduct('on', async (server) => {
      const page = await browser.newPage();
      await page.goto(`${server.url}/board?lang=en`);
      await page.getByText(DEMO_BUTTON).click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor({ state: 'detached' });
      const stored = await page.evaluate(() => JSON.parse(sessionStorage.getItem('crm.session') ?? 'null'));
      expect(stored).toMatchObject({ source: 'demo', identity: { tenant_id: '*', role: 'admin', sub: 'local-demo' } });
      await page.close();
    });
  });
});
