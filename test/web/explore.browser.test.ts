import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadRows, tokenFor } from '../support/apiClient.js';
import { launchChromium } from '../support/browser.js';
import { queryDuckDBFile } from '../support/duckdbFile.js';
import { SCREENSHOTS, serveWebApp, signIn, type ServedProduct } from '../support/webApp.js';

// Explore in Chromium: a dimension splits the chart into series, a new query never shows the
// previous rows under its columns, and month-end snapshots are read month by month.
let w: ServedProduct;
let browser: Browser;
let page: Page;
const admin = tokenFor({ tenant_id: '*', role: 'admin' });
const explore = (query: string) => `/explore?lang=en&view=executive_kpis&${query}`;

/** Moves the app to another address the way its own controls do (history + popstate), without reloading it. */
async function navigateInApp(p: Page, to: string): Promise<void> {
  await p.evaluate((url) => {
    window.history.pushState(null, '', url);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, to);
}

beforeAll(async () => {
  w = await serveWebApp();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(page, w.server.url, 'admin');
  await page.getByTestId('kpi-value-revenue').waitFor();
});
afterAll(async () => {
  await browser?.close();
  await w?.stop();
});

describe('explore', () => {
  it('draws revenue by month × channel as one line per channel, with a legend', async () => {
    const api = await loadRows(
      w.server.url,
      { measures: ['executive_kpis.revenue'], dimensions: ['executive_kpis.channel'], timeDimensions: [{ dimension: 'executive_kpis.ordered_at', granularity: 'month' }] },
      admin,
    );
    const channels = new Set(api.map((r) => r['executive_kpis.channel']));
    const months = new Set(api.map((r) => r['executive_kpis.ordered_at.month']));
    expect(channels.size).toBe(3);

    await page.goto(`${w.server.url}${explore('measures=executive_kpis.revenue&dimensions=executive_kpis.channel&granularity=month&chart=line')}`);
    // The page's only chart.
    const lines = page.locator('.recharts-line-curve');
    await lines.first().waitFor();
    expect(await page.locator('.tremor-Legend-legendItem').count()).toBe(channels.size);
    expect(await lines.count()).toBe(channels.size);
    // Each line runs through the months once: as many points as months, not months × channels.
    const points = await lines.first().getAttribute('d');
    expect(points!.split(/[ML]/).filter((s) => s.trim()).length).toBe(months.size);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'explore-month-channel.png'), fullPage: true });
  });

  it('shows a skeleton, never the previous rows under new columns, while a new query runs', async () => {
    await page.goto(`${w.server.url}${explore('measures=executive_kpis.revenue&dimensions=executive_kpis.channel&chart=table')}`);
    const table = page.getByTestId('explore-table');
    await table.locator('tbody tr').first().waitFor();
    // Every state of the result area, as the user could have seen it, from here on.
    await page.evaluate(() => {
      const seen: { headers: string[]; rows: string[][]; skeleton: boolean }[] = [];
      (window as unknown as { seen: typeof seen }).seen = seen;
      const record = () => {
        const t = document.querySelector('[data-testid="explore-table"]');
        seen.push({
          headers: t ? [...t.querySelectorAll('th')].map((th) => th.textContent ?? '') : [],
          rows: t ? [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')) : [],
          skeleton: !!document.querySelector('[data-testid="skeleton"]'),
        });
      };
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    // The next answer takes a while, as it does on a big warehouse.
    await page.route('**/cubejs-api/v1/load**', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    try {
      await navigateInApp(page, explore('measures=executive_kpis.revenue&dimensions=executive_kpis.channel,executive_kpis.region&chart=table'));
      await page.waitForFunction(
        () => document.querySelectorAll('[data-testid="explore-table"] th').length === 3 && document.querySelectorAll('[data-testid="explore-table"] tbody tr').length > 3,
        undefined,
        { timeout: 60_000 },
      );
    } finally {
      await page.unroute('**/cubejs-api/v1/load**');
    }
    const seen = await page.evaluate(() => (window as unknown as { seen: { headers: string[]; rows: string[][]; skeleton: boolean }[] }).seen);
    const final = seen.at(-1)!;
    // Under the new columns there were only ever the new rows, and a skeleton while they loaded.
    const underNewColumns = seen.filter((s) => s.headers.join('|') === final.headers.join('|'));
    expect(underNewColumns.filter((s) => JSON.stringify(s.rows) !== JSON.stringify(final.rows))).toEqual([]);
    expect(final.rows.every((r) => r.length === 3 && !r.includes('–'))).toBe(true);
    expect(seen.some((s) => s.skeleton && s.rows.length === 0)).toBe(true);
  });

  it('reads members to date month by month, equal to the members who had ordered by each month end', async () => {
    await page.goto(`${w.server.url}/explore?lang=en&view=customer_health&measures=customer_health.members_to_date&chart=table`);
    const rows = page.getByTestId('explore-table').locator('tbody tr');
    await rows.first().waitFor();
    const [expected] = await queryDuckDBFile(
      w.duckdbFile,
      `
      SELECT count(*) AS members, (SELECT count(DISTINCT date_trunc('month', ordered_at)) FROM orders) AS months
      FROM (SELECT customer_id FROM orders WHERE customer_id IS NOT NULL GROUP BY customer_id)`,
    );
    expect(await rows.count()).toBe(Number(expected.months));
    const last = (await rows.last().locator('td').nth(1).textContent())!;
    expect(Number(last.replace(/[^\d]/g, ''))).toBe(Number(expected.members));
    await page.getByTestId('explore-snapshot-note').waitFor();
  });

  // Issue 20, item 6: counts were drawn on revenue's ¥ axis (a flat line at ¥0).
  it('draws revenue and active customers on two charts, the count on an axis without ¥', async () => {
    await page.goto(`${w.server.url}/explore?lang=ja&view=executive_kpis&measures=executive_kpis.revenue,executive_kpis.active_customers&granularity=month&chart=line`);
    const money = page.getByTestId('explore-chart-currency');
    const count = page.getByTestId('explore-chart-number');
    await money.locator('.recharts-line-curve').first().waitFor();
    await count.locator('.recharts-line-curve').first().waitFor();
    const ticks = async (chart: typeof money) => (await chart.locator('.recharts-yAxis .recharts-cartesian-axis-tick-value').allTextContents()).filter(Boolean);
    expect((await ticks(money)).some((tick) => tick.includes('¥'))).toBe(true);
    const countTicks = await ticks(count);
    expect(countTicks.length).toBeGreaterThan(1);
    expect(countTicks.some((tick) => tick.includes('¥'))).toBe(false);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'explore-two-units.png'), fullPage: true });
  });
});

// Issue 20, items 5 and 6, as a marketer (small-group suppression, t01): a hidden figure read as 0
// in Explore's table, and its CSV had snake_case headers and raw ratios.
describe('explore as a marketer', () => {
  it('shows a hidden figure as "< 10", not 0, and exports Japanese headers with a BOM', async () => {
    const marketer = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signIn(marketer, w.server.url, 'marketer');
      await marketer.getByTestId('kpi-value-revenue').waitFor();
      const query = {
        measures: ['executive_kpis.revenue', 'executive_kpis.active_customers'],
        dimensions: ['executive_kpis.channel'],
        timeDimensions: [{ dimension: 'executive_kpis.ordered_at', granularity: 'week' }],
        order: { 'executive_kpis.ordered_at': 'asc' },
        limit: 5000,
      };
      const api = await loadRows(w.server.url, query, tokenFor({ tenant_id: 't01', role: 'marketer' }));
      // The API's own count of weeks × channels whose active customers it hid.
      const hidden = api.filter((r) => r['executive_kpis.active_customers'] === null).length;
      expect(hidden).toBeGreaterThan(0);
      await marketer.goto(
        `${w.server.url}/explore?lang=ja&view=executive_kpis&measures=executive_kpis.revenue,executive_kpis.active_customers&dimensions=executive_kpis.channel&granularity=week&chart=table`,
      );
      const rows = marketer.getByTestId('explore-table').locator('tbody tr');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(api.length);
      const activeCells = await rows.locator('td:nth-child(4)').allTextContents();
      expect(activeCells.filter((c) => c === '< 10').length).toBe(hidden);
      expect(activeCells).not.toContain('0');
      await marketer.getByTestId('explore-hidden').waitFor();

      const [download] = await Promise.all([marketer.waitForEvent('download'), marketer.getByTestId('export-explore').click()]);
      const text = readFileSync((await download.path())!, 'utf8');
      expect(text.startsWith('\uFEFF')).toBe(true);
      const lines = text.slice(1).trim().split('\r\n');
      // Titles from the model's meta.title_ja; money in plain yen under (円).
      expect(lines[0]).toBe('注文日時,販売チャネル,売上 (円),アクティブ顧客数');
      expect(lines.length - 1).toBe(api.length);
      expect(lines.slice(1).filter((l) => l.endsWith(',< 10')).length).toBe(hidden);
    } finally {
      await marketer.close();
    }
  });
});
