import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { queryDuckDBFile } from '../support/duckdbFile.js';
import { addImportedTenants } from '../support/importedTenants.js';
import { SCREENSHOTS, serveWebApp, signIn, type ServedProduct } from '../support/webApp.js';

// Every page but the board on an imported tenant (the CDNOW sample as tenant cdnow: members and
// orders, no tiers, campaigns or inquiries), as its CRM manager and its marketer: what has no
// data says so, in Japanese and English, instead of an error, zeros or an empty chart; the demo
// tenant t01 keeps its tiers.
let w: ServedProduct;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  w = await serveWebApp({
    prepare: addImportedTenants,
    users: [
      { username: 'cdnow.manager', role: 'crm_manager', tenant_id: 'cdnow' },
      { username: 'cdnow.marketer', role: 'marketer', tenant_id: 'cdnow' },
    ],
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(60_000);
  await signIn(page, w.server.url, 'cdnow.manager', '/campaigns?lang=en');
  await page.getByTestId('nav-campaigns').waitFor();
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await w?.stop();
});

const noError = async (p: Page) => expect(await p.getByText(/データを取得できませんでした|Could not load/).count()).toBe(0);

describe('an imported tenant without tiers, campaigns or inquiries', () => {
  it('Campaigns says no campaigns were imported', async () => {
    await page.goto(`${w.server.url}/campaigns?lang=ja`);
    await page.getByTestId('empty-state').getByText('この店舗にはキャンペーンが取り込まれていません。').waitFor();
    await page.goto(`${w.server.url}/campaigns?lang=en`);
    await page.getByTestId('empty-state').getByText('No campaigns imported for this tenant.').waitFor();
    expect(await page.getByTestId('campaign-table').count()).toBe(0);
    await noError(page);
  });

  it('Segments compares without tiers and says why the tier migration is empty', async () => {
    await page.goto(`${w.server.url}/segments?lang=ja&by=customer_segments.tier`);
    await page.getByTestId('tier-migration-card').getByText('この店舗には会員ランクが取り込まれていません', { exact: false }).waitFor();
    // A tier in the URL falls back to the first dimension offered, the RFM segment: its cards have figures.
    await page.getByTestId('segment-cards').locator('[data-testid$="-segment_size"]').first().waitFor();
    expect(await page.getByTestId('segment-cards').getByText('レギュラー').count()).toBe(0);
    expect(await page.getByTestId('tier-migration').count()).toBe(0);
    // CDNOW's money is dollars (tenants.currency USD): the cards' amounts read $, never ¥.
    await page
      .getByTestId('segment-cards')
      .getByText(/^\$[\d,.]+/)
      .first()
      .waitFor();
    expect(await page.getByTestId('segment-cards').textContent()).not.toContain('¥');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'imported-segments.png'), fullPage: true });
    await noError(page);
  });

  it('Cohorts draws the heat-map and offers no tier slice', async () => {
    await page.goto(`${w.server.url}/cohorts?lang=en`);
    await page.getByTestId('no-tiers').getByText('No loyalty tiers imported for this tenant', { exact: false }).waitFor();
    await page.getByTestId('slice-region').waitFor();
    expect(await page.getByTestId('slice-tier').count()).toBe(0);
    // First purchases January to March 1997: three cohorts.
    await page.getByText('Jan 1997').waitFor();
    await page.getByText('Mar 1997').waitFor();
    // Cumulative LTV per member is CDNOW's dollars.
    await page.goto(`${w.server.url}/cohorts?lang=en&metric=cumulative_ltv`);
    await page
      .getByTestId('cohort-heatmap')
      .getByText(/^\$[\d,.]+$/)
      .first()
      .waitFor();
    expect(await page.getByTestId('cohort-heatmap').textContent()).not.toContain('¥');
    await noError(page);
  });

  it('Customer 360 says what the tenant has no data for, and shows no tier', async () => {
    const [member] = await queryDuckDBFile(w.duckdbFile, "SELECT min(customer_id) AS id FROM customers WHERE tenant_id = 'cdnow'");
    await page.goto(`${w.server.url}/customer?lang=ja&id=${member.id}`);
    const timeline = page.getByTestId('customer-timeline');
    await timeline.getByText('この店舗には会員ランクが取り込まれていません', { exact: false }).waitFor();
    await page.getByTestId('customer-no-campaigns').getByText('この店舗にはキャンペーンが取り込まれていません。').waitFor();
    await page.getByTestId('customer-no-inquiries').getByText('この店舗には問い合わせが取り込まれていません。').waitFor();
    const profile = page.getByTestId('customer-profile');
    expect(await profile.getByText('会員ランク').count()).toBe(0);
    // No birth date in the import: the age band is unknown (was read as 70+); so is the gender.
    await profile.getByText('不明').first().waitFor();
    expect(await profile.getByText('70歳以上').count()).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'imported-customer.png'), fullPage: true });
  });

  it("tells the tenant's marketer the same on Campaigns", async () => {
    const own = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signIn(own, w.server.url, 'cdnow.marketer', '/campaigns?lang=en');
      await own.getByTestId('empty-state').getByText('No campaigns imported for this tenant.').waitFor({ timeout: 60_000 });
      await noError(own);
    } finally {
      await own.close();
    }
  }, 120_000);

  it("leaves the demo tenant's tiers alone", async () => {
    const own = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signIn(own, w.server.url, 'manager', '/segments?lang=en&by=customer_segments.tier');
      await own.getByTestId('tier-migration').waitFor({ timeout: 60_000 });
      await own.getByTestId('segment-cards').getByText('Gold').waitFor({ timeout: 60_000 });
    } finally {
      await own.close();
    }
  }, 120_000);
});
