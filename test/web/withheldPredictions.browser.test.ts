import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { fitEveryTenant } from '../../seeds/clv/fitTenant.js';
import { launchChromium } from '../support/browser.js';
import { addOneOrderTenant } from '../support/oneOrderTenant.js';
import { serveWebApp, signIn, type ServedProduct } from '../support/webApp.js';

// Issue 20, item 14: a tenant of one-order histories got predictions from a fit its data cannot
// support, and the at-risk card read "no customer is at risk". Now the fit is withheld and the
// card says why, in the model's words (model/cubes/customers/clv_fits.yml, values_ja).
let w: ServedProduct;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  w = await serveWebApp({
    prepare: async (warehouse) => {
      await fitEveryTenant(warehouse, () => {});
      await addOneOrderTenant(warehouse);
    },
    users: [{ username: 'hill.manager', role: 'crm_manager', tenant_id: 'hill' }],
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(60_000);
  await signIn(page, w.server.url, 'hill.manager', '/segments?lang=en');
  await page.getByTestId('at-risk-card').waitFor();
  await page.goto(`${w.server.url}/segments?lang=ja`);
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await w?.stop();
});

describe('withheld predictions', () => {
  it("the at-risk card says the tenant's predicted CLV is withheld and why", async () => {
    const note = page.getByTestId('clv-withheld');
    await note.waitFor();
    expect(await note.textContent()).toContain('予測LTVを表示していません');
    const reason = note.locator('[data-tenant="hill"]');
    expect(await reason.getAttribute('data-status')).toBe('too_few_repeat_buyers');
    expect(await reason.textContent()).toBe('hill: 非表示（リピート購入者が30人未満で、予測の根拠がありません）');
  });

  it('says nothing for a tenant whose fit is served', async () => {
    const admin = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(admin, w.server.url, 'admin', '/segments?lang=en');
    await admin.getByTestId('at-risk-card').waitFor();
    // The all-tenant admin sees the withheld tenant only: the demo tenants' fits are served.
    await admin.getByTestId('clv-withheld').waitFor();
    expect(
      await admin
        .getByTestId('clv-withheld')
        .locator('[data-tenant]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-tenant'))),
    ).toEqual(['hill']);
    await admin.close();
  });
});
