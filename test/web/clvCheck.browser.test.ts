import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { queryDuckDBFile } from '../support/duckdbFile.js';
import { addImportedTenants } from '../support/importedTenants.js';
import { SCREENSHOTS, serveWebApp, signIn, type ServedProduct } from '../support/webApp.js';

// The predicted-CLV pages in Chromium: the model check of the CDNOW sample (BG/NBD fitted on the
// 39 weeks to 1997-09-30, FHL 2005) as an admin, and the customers at risk of t01 on Segments and
// Customer 360 as its CRM manager and its marketer. Expected figures are read from the served
// warehouse's tables with plain SQL (test/clv/holdoutCheck.test.ts and test/model/atRisk.test.ts
// hold the tables to independent computations).
let w: ServedProduct;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  w = await serveWebApp({ prepare: addImportedTenants });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(page, w.server.url, 'admin', '/clv?lang=en');
  await page.getByTestId('nav-clv').waitFor();
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await w?.stop();
});

describe('the model check page', () => {
  it("shows CDNOW's holdout: 1,882 repeat purchases against 1,653 expected, and the x = 0 … 7+ groups of the table", async () => {
    await page.goto(`${w.server.url}/clv?lang=ja&tenant=cdnow`);
    const total = page.getByTestId('clv-holdout-total');
    await total.getByText('検証期間のリピート購入: 実績 1,882 回、モデル 1,653 回').waitFor({ timeout: 60_000 });
    await page.getByText('推定期間 〜1997年9月30日、検証期間 〜1998年6月30日（対象会員 2,357 人）').waitFor();
    await page.getByText('1997年10月1日の週から検証期間です', { exact: false }).waitFor();
    const groups = await queryDuckDBFile(
      w.duckdbFile,
      "SELECT calibration_purchases AS x, actual_holdout_purchases / customers AS actual, expected_holdout_purchases / customers AS expected FROM clv_tracking_groups WHERE tenant_id = 'cdnow' ORDER BY x",
    );
    for (const g of groups) {
      const x = Number(g.x) === 7 ? '7+' : String(g.x);
      expect(Number(await page.getByTestId(`clv-group-actual-${x}`).getAttribute('data-value'))).toBeCloseTo(Number(g.actual), 9);
      expect(Number(await page.getByTestId(`clv-group-model-${x}`).getAttribute('data-value'))).toBeCloseTo(Number(g.expected), 9);
    }
    // x = 0: 334 purchases of 1,411 members (0.24), 0.23 expected.
    expect(await page.getByTestId('clv-group-actual-0').textContent()).toBe('0.24');
    await page.getByTestId('clv-tracking-chart').locator('.recharts-line').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'clv-check.png'), fullPage: true });
  });

  it('offers every checked tenant to an admin and switches between them', async () => {
    await page.goto(`${w.server.url}/clv?lang=en&tenant=t01`);
    const [t01] = await queryDuckDBFile(w.duckdbFile, "SELECT sum(actual_holdout_purchases) AS actual FROM clv_tracking_groups WHERE tenant_id = 't01'");
    await page
      .getByTestId('clv-holdout-total')
      .and(page.locator(`[data-actual="${t01.actual}"]`))
      .waitFor({ timeout: 60_000 });
    await page.getByTestId('clv-tenant').click();
    expect(await page.getByRole('option').allTextContents()).toEqual(['cdnow', 't01', 't02']);
  });
});

describe('customers at risk', () => {
  it("shows the CRM manager t01's at-risk members by RFM segment and lists them, highest predicted CLV first", async () => {
    const own = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signIn(own, w.server.url, 'manager', '/segments?lang=en');
      await own.getByTestId('nav-segments').waitFor();
      await own.goto(`${w.server.url}/segments?lang=ja`);
      const card = own.getByTestId('at-risk-card');
      await card.getByText('離反リスクの高い優良顧客').waitFor({ timeout: 60_000 });
      // 8 members of t01 (test/model/atRisk.test.ts).
      await own.getByTestId('at-risk-total-segment_size').and(own.locator('[data-value="8"]')).waitFor({ timeout: 60_000 });
      const rows = own.getByTestId('at-risk-table').locator('tbody tr');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(8);
      const clvs = await own.getByTestId('at-risk-table').locator('tbody tr td:nth-child(5)').allTextContents();
      expect(clvs[0]).toMatch(/^¥/);
      // The first member number opens Customer 360 with the badge, P(alive) and predicted CLV.
      const first = rows.first().locator('td:first-child a');
      const id = (await first.textContent())!.trim();
      const [member] = await queryDuckDBFile(w.duckdbFile, `SELECT p_alive FROM customer_predictions WHERE customer_id = ${id}`);
      await first.click();
      await own.getByTestId('customer-at-risk').getByText('離反リスクあり').waitFor();
      const profile = own.getByTestId('customer-profile');
      await profile.getByText('生存確率').waitFor();
      await profile.getByText(`${(Number(member.p_alive) * 100).toFixed(1)}%`).waitFor();
      await own.screenshot({ path: path.join(SCREENSHOTS, 'customer-at-risk.png'), fullPage: true });
    } finally {
      await own.close();
    }
  }, 180_000);

  it('gives a marketer the card with figures under 10 hidden, and no member list', async () => {
    const own = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signIn(own, w.server.url, 'marketer', '/segments?lang=en');
      await own.getByTestId('at-risk-card').waitFor({ timeout: 60_000 });
      await own.getByTestId('at-risk-total-segment_size').getByText('< 10').waitFor({ timeout: 60_000 });
      expect(await own.getByTestId('at-risk-list').count()).toBe(0);
    } finally {
      await own.close();
    }
  }, 180_000);
});
