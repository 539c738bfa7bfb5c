import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { hashPassword } from '../../cube/auth/passwords.js';
import { UserStore } from '../../cube/auth/users.js';
import { startServer, type RunningServer, type ServerOptions } from '../../cube/server.js';
import { buildWebAppIfStale, WEB_DIST } from '../../cube/webBuild.js';
import { FIXTURE_MODEL, EVENTS_SQL } from '../cube/fixtures.js';
import { TEST_SECRET } from '../support/apiClient.js';
import { launchChromium } from '../support/browser.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';

// The login page offers "continue as the demo admin" only when the server hands out the demo
// token (CRM_DEMO_TOKEN=on), and a burst of guesses is answered with the server's message.
const tmp = tempDir();
const file = path.join(tmp.dir, 'w.duckdb');
let browser: Browser;
const DEMO_BUTTON = 'Continue as the demo admin (local only)';

beforeAll(async () => {
  await buildWebAppIfStale(() => {});
  await createDuckDBFile(file, EVENTS_SQL);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  tmp.remove();
});

async function withServer(options: Partial<ServerOptions>, run: (server: RunningServer) => Promise<void>) {
  const server = await startServer({ warehouse: file, apiSecret: TEST_SECRET, port: 0, modelPath: FIXTURE_MODEL, webDist: WEB_DIST, refreshIntervalSeconds: 0, ...options });
  try {
    await run(server);
  } finally {
    await server.close();
  }
}

describe('the login page', () => {
  it('shows no demo button when the demo token is off, and never asks for a token', async () => {
    const users = new UserStore([{ username: 'mika', role: 'marketer', tenant_id: 't01', password_hash: await hashPassword('correct horse') }]);
    await withServer({ users }, async (server) => {
      const page = await browser.newPage();
      const demoRequests: string[] = [];
      page.on('request', (r) => { if (r.url().includes('/auth/demo-token')) demoRequests.push(r.method()); });
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
    await withServer({ demoIdentity: { tenant_id: '*', role: 'admin', sub: 'local-demo' } }, async (server) => {
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
