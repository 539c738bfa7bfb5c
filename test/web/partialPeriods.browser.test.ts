import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadRows, tokenFor } from '../support/apiClient.js';
import { launchChromium } from '../support/browser.js';
import { tempDir } from '../support/duckdbFile.js';
import { SCREENSHOTS, serveWebApp, signIn, type ServedProduct } from '../support/webApp.js';
import { importFile } from '../../seeds/import/importFile.js';

/**
 * Issue 20 item 3: a period that runs past the last day with data says so and compares the same
 * days a year earlier; a month the data end inside of is marked in the trends, the monthly table and
 * the cohort heat-map.
 * The demo tenants' data end on 2026-10-31 (a month's last day). Beside them, tenant `uci` holds
 * five Online Retail invoices (£10 a unit) whose data end on 2011-12-09, as the real file's do:
 *   2010-12-05  £30   (December 2010, days 1-9)
 *   2010-12-20  £50   (December 2010, after day 9)
 *   2011-06-10  £20
 *   2011-12-02  £40   ┐ December 2011 so far: £60
 *   2011-12-09  £20   ┘
 */
const ONLINE_RETAIL = [
  'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
  '536001,85123A,WHITE HANGING HEART T-LIGHT HOLDER,3,2010-12-05 10:00:00,10.00,1001.0,United Kingdom',
  '536002,85123A,WHITE HANGING HEART T-LIGHT HOLDER,5,2010-12-20 10:00:00,10.00,1002.0,United Kingdom',
  '556001,85123A,WHITE HANGING HEART T-LIGHT HOLDER,2,2011-06-10 10:00:00,10.00,1001.0,United Kingdom',
  '581001,85123A,WHITE HANGING HEART T-LIGHT HOLDER,4,2011-12-02 10:00:00,10.00,1001.0,United Kingdom',
  '581587,85123A,WHITE HANGING HEART T-LIGHT HOLDER,2,2011-12-09 12:50:00,10.00,1003.0,United Kingdom',
].join('\n');

/** How long a board query may take on the shared 2-core machine while other suites run. */
const LOADED = 90_000;

let w: ServedProduct;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const csv = tempDir('crm-partial-');
  const file = path.join(csv.dir, 'online_retail.csv');
  writeFileSync(file, `${ONLINE_RETAIL}\n`);
  w = await serveWebApp({
    prepare: (warehouse) => importFile({ format: 'online-retail', file, tenant: 'uci', warehouse }).then(() => csv.remove()),
    // The Online Retail tenant's own CRM manager: their pages are dated by their tenant's data alone.
    users: [{ username: 'uci', role: 'crm_manager', tenant_id: 'uci' }],
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(page, w.server.url, 'admin');
  await page.getByTestId('kpi-value-revenue').waitFor({ timeout: LOADED });
});
afterAll(async () => {
  await browser?.close();
  await w?.stop();
});

const admin = () => tokenFor({ tenant_id: '*', role: 'admin' });
async function revenueOf(tenant: string, from: string, to: string): Promise<number> {
  const [row] = await loadRows(
    w.server.url,
    {
      measures: ['executive_kpis.revenue'],
      timeDimensions: [{ dimension: 'executive_kpis.ordered_at', dateRange: [from, to] }],
      filters: [{ member: 'executive_kpis.tenant_id', operator: 'equals', values: [tenant] }],
    },
    admin(),
  );
  return Number(row['executive_kpis.revenue']);
}

describe('Partial periods on the board', () => {
  it('a custom period past the last day with data says so and compares the same days a year earlier', async () => {
    await page.goto(`${w.server.url}/board?lang=en&tenant=t01&period=custom&from=2026-10-15&to=2026-11-15`);
    await page.waitForFunction(() => document.querySelector('[data-testid="kpi-yoy-revenue"]')?.getAttribute('data-value'), null, { timeout: LOADED });
    expect(await page.getByTestId('board-period').textContent()).toBe('Oct 15 – Nov 15, 2026through Oct 31');
    expect(await page.getByTestId('board-through').textContent()).toBe('through Oct 31');
    // 10/15-10/31 against 2025-10-15 to 10-31 (17 days each), not against the whole 10/15-11/15 of 2025.
    const now = await revenueOf('t01', '2026-10-15', '2026-10-31');
    const sameDays = await revenueOf('t01', '2025-10-15', '2025-10-31');
    const wholePeriod = await revenueOf('t01', '2025-10-15', '2025-11-15');
    const yoy = Number(await page.getByTestId('kpi-yoy-revenue').getAttribute('data-value'));
    expect(yoy).toBeCloseTo(now / sameDays - 1, 9);
    expect(Math.abs(yoy - (now / wholePeriod - 1))).toBeGreaterThan(0.2);
    expect(Number(await page.getByTestId('kpi-value-revenue').getAttribute('data-value'))).toBeCloseTo(now, 2);
  });

  it('a quarter is headed by its whole span and the day its data end (四半期: 10月1日～12月31日, 〜10月31日時点)', async () => {
    await page.goto(`${w.server.url}/board?lang=ja&tenant=t01&period=quarter`);
    await page.getByTestId('board-through').waitFor({ timeout: LOADED });
    expect(await page.getByTestId('board-period').textContent()).toBe('2026年10月1日～12月31日〜10月31日時点');
    // The quarter's figures are the quarter to date (October): the tile reads October's revenue.
    await page.waitForFunction(() => document.querySelector('[data-testid="kpi-value-revenue"]')?.getAttribute('data-value'), null, { timeout: LOADED });
    expect(Number(await page.getByTestId('kpi-value-revenue').getAttribute('data-value'))).toBeCloseTo(await revenueOf('t01', '2026-10-01', '2026-10-31'), 2);
  });

  it('a month whose data end on its last day is whole: no mark, no note', async () => {
    await page.goto(`${w.server.url}/board?lang=ja&tenant=t01&period=month`);
    await page.getByTestId('board-monthly-2026-10').waitFor({ timeout: LOADED });
    expect(await page.getByTestId('board-period').textContent()).toBe('2026年10月1日～31日');
    expect(await page.getByTestId('board-monthly-2026-10').locator('td').first().textContent()).toBe('2026年10月');
    expect(await page.getByTestId('partial-month-note').count()).toBe(0);
  });

  it('an imported tenant’s last month with 9 days of data is marked in the trends and the monthly table, its YoY on the same 9 days', async () => {
    await page.goto(`${w.server.url}/board?lang=ja&tenant=uci&period=month`);
    const december = page.getByTestId('board-monthly-2011-12');
    await december.waitFor({ timeout: LOADED });
    expect(await page.getByTestId('board-period').textContent()).toBe('2011年12月1日～31日〜12月9日時点');
    expect(await december.locator('td').first().textContent()).toBe('2011年12月（途中）');
    expect(await page.getByTestId('board-monthly-2011-06').locator('td').first().textContent()).toBe('2011年6月');
    // December 2011 so far, £40 + £20, against December 1-9 of 2010, £30 (not the whole month's £80): +100 %.
    expect(Number(await december.locator('td[data-value]').first().getAttribute('data-value'))).toBe(60);
    expect(Number(await december.getByTestId('yoy-revenue').getAttribute('data-value'))).toBeCloseTo(1, 9);
    // The channel trend and the year-over-year trend mark the month on their axes and say to which day.
    const trend = page.getByTestId('board-trend');
    await trend.locator('.recharts-xAxis').getByText('2011年12月（途中）').waitFor({ timeout: LOADED });
    await page.getByTestId('board-yoy-trend').locator('.recharts-xAxis').getByText('2011年12月（途中）').waitFor({ timeout: LOADED });
    expect(await trend.getByTestId('partial-month-note').textContent()).toBe('2011年12月（途中）はデータが2011年12月9日までの月です。');
    await page.getByTestId('board-yoy-trend').getByTestId('partial-month-note').waitFor({ timeout: LOADED });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'board-partial-month-ja.png'), fullPage: true });
  });

  it('flags the cohort cells that count December 2011, the month its data end inside of', async () => {
    const own = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(own, w.server.url, 'uci', '/cohorts?lang=en');
    await own.getByTestId('cohort-heatmap').waitFor({ timeout: LOADED });
    await own.goto(`${w.server.url}/cohorts?lang=ja`);
    // Cohort 2010-12 (members 1001, 1002) at +12 and cohort 2011-12 (member 1003) at +0 count December 2011; +6 counts June.
    const december2011 = [own.getByTestId('cell-2010-12-12'), own.getByTestId('cell-2011-12-0')];
    await own.getByTestId('partial-month-note').waitFor({ timeout: LOADED });
    for (const cell of december2011) expect(await cell.getAttribute('data-partial')).toBe('true');
    expect(await own.getByTestId('cell-2010-12-6').getAttribute('data-partial')).toBeNull();
    expect(await own.locator('[data-partial="true"]').count()).toBe(2);
    expect(await own.getByTestId('partial-month-note').textContent()).toBe('2011年12月（途中）はデータが2011年12月9日までの月です。');
    await own.screenshot({ path: path.join(SCREENSHOTS, 'cohorts-partial-month-ja.png'), fullPage: true });
    await own.close();
  });
});
