import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
