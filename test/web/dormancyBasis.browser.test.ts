import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { createDuckDBFile } from '../support/duckdbFile.js';
import { serveWebApp, signIn, type ServedProduct } from '../support/webApp.js';

/*
 * The board says which dormancy threshold its churn follows (issue 20 item 11): the churn tile
 * states the tenant's dormancy days (the model's churn_rate `meta.basis: dormancy_days`). t01 is
 * set to 90 days here; the other tenants keep the default 180.
 */
let w: ServedProduct;
let browser: Browser;

beforeAll(async () => {
  w = await serveWebApp({ prepare: (file) => createDuckDBFile(file, "UPDATE tenants SET dormancy_days = 90 WHERE tenant_id = 't01'") });
  browser = await launchChromium();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await w?.stop();
});

describe('the churn tile', { timeout: 120_000 }, () => {
  it("states a t01 marketer's 90 days in Japanese", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signIn(page, w.server.url, 'marketer');
    await page.getByTestId('identity').waitFor();
    await page.goto(`${w.server.url}/board?lang=ja`);
    await expect.poll(() => page.getByTestId('kpi-basis-churn_rate').textContent(), { timeout: 60_000 }).toBe('休眠の基準日数：90');
  });

  it('states t02’s default 180 days in English to the all-tenant admin picking t02', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signIn(page, w.server.url, 'admin', '/board?lang=en&tenant=t02');
    await expect.poll(() => page.getByTestId('kpi-basis-churn_rate').textContent(), { timeout: 60_000 }).toBe('Dormancy threshold (days): 180');
  });
});
