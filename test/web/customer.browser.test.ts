import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { queryDuckDBFile } from '../support/duckdbFile.js';
import { SCREENSHOTS, serveWebApp, signIn, type ServedProduct } from '../support/webApp.js';

// Customer 360 in Chromium, as a CRM manager (t01) and a marketer: finding a member, ids that
// are not member numbers or not members, who gets the tab, and the cohort drill-down's links.
let w: ServedProduct;
let browser: Browser;
let page: Page;
let member: { customer_id: number; name: string; email: string };

beforeAll(async () => {
  w = await serveWebApp();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(page, w.server.url, 'manager', '/customer?lang=en');
  await page.getByTestId('customer-search-card').waitFor();
  const [row] = await queryDuckDBFile(w.duckdbFile, "SELECT customer_id, name, email FROM customers WHERE tenant_id = 't01' ORDER BY customer_id LIMIT 1 OFFSET 11");
  member = { customer_id: Number(row.customer_id), name: String(row.name), email: String(row.email) };
});
afterAll(async () => {
  await browser?.close();
  await w?.stop();
});

describe('customer 360', () => {
  it('refuses an id that is not a member number with a clear message, and no query error', async () => {
    await page.goto(`${w.server.url}/customer?lang=ja&id=abc`);
    await page.getByTestId('customer-invalid').getByText('会員番号は数字で入力してください').waitFor();
    expect(await page.getByText('データを取得できませんでした').count()).toBe(0);
    expect(await page.getByText(/Conversion|SELECT/).count()).toBe(0);
  });

  it('says an unknown member number is not found (was a blank page)', async () => {
    await page.goto(`${w.server.url}/customer?lang=ja&id=99999999`);
    await page.getByTestId('customer-not-found').getByText('会員番号 99999999 は見つかりません').waitFor();
    await page.goto(`${w.server.url}/customer?lang=en&id=99999999`);
    await page.getByText('Member number 99999999 was not found.').waitFor();
  });

  it('finds a member by email and opens the profile from the result list', async () => {
    await page.goto(`${w.server.url}/customer?lang=en`);
    await page.getByTestId('customer-search-by').getByRole('button').first().click();
    await page.getByRole('option', { name: 'Email' }).click();
    await page.getByTestId('customer-search').fill(member.email.split('@')[0]);
    await page.getByTestId('customer-search-submit').click();
    const results = page.getByTestId('customer-results');
    await results.waitFor();
    expect(page.url()).toContain('by=email');
    await results.getByRole('link', { name: String(member.customer_id), exact: true }).click();
    await page.getByTestId('customer-profile').getByText(member.name).waitFor();
    expect(new URL(page.url()).searchParams.get('id')).toBe(String(member.customer_id));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'customer-search.png'), fullPage: true });
  });

  it("opens a member from a cohort drill-down's member number", async () => {
    await page.goto(`${w.server.url}/cohorts?lang=ja&cell=${encodeURIComponent('2025-06-01|2')}`);
    const link = page.getByTestId('drill-table').locator('tbody tr td:first-child a').first();
    await link.waitFor({ timeout: 60_000 });
    const id = (await link.textContent())!.trim();
    await link.click();
    await page.getByTestId('customer-profile').waitFor();
    expect(new URL(page.url()).pathname).toBe('/customer');
    expect(new URL(page.url()).searchParams.get('id')).toBe(id);
  });

  it('is not offered to a marketer: no tab, no links from the cohort drill-down', async () => {
    const own = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signIn(own, w.server.url, 'marketer', '/cohorts?lang=en');
      await own.getByTestId('nav-cohorts').waitFor();
      expect(await own.getByTestId('nav-customer').count()).toBe(0);
      await own.goto(`${w.server.url}/customer?lang=ja&id=${member.customer_id}`);
      await own.getByTestId('nav-board').waitFor();
      expect(await own.getByTestId('customer-search-card').count()).toBe(0);
    } finally {
      await own.close();
    }
  });
});
