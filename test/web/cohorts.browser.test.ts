import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadRows, tokenFor } from '../support/apiClient.js';
import { launchChromium } from '../support/browser.js';
import { SCREENSHOTS, serveWebApp, signIn, type ServedProduct } from '../support/webApp.js';

// The cohort page in Chromium: heat-map = API, a slice recomputed by DuckDB-WASM = API with the
// same filter, and a cell's drill-down lists exactly that cell's customers (for roles with
// personal data; a marketer's shows a note and asks for no list).
let w: ServedProduct;
let browser: Browser;
let page: Page;
const admin = tokenFor({ tenant_id: '*', role: 'admin' });

const matrix = (filters: object[] = []) =>
  loadRows(
    w.server.url,
    {
      measures: ['cohorts.cohort_retention'],
      dimensions: ['cohorts.month_offset'],
      timeDimensions: [{ dimension: 'cohorts.cohort_month', granularity: 'month' }],
      filters,
      limit: 50000,
    },
    admin,
  );
const cellValue = (p: Page, month: string, k: number) => p.getByTestId(`cell-${month}-${k}`).getAttribute('data-value').then(Number);
const apiValue = (rows: Record<string, unknown>[], month: string, k: number) =>
  Number(rows.find((r) => String(r['cohorts.cohort_month.month']).startsWith(month) && Number(r['cohorts.month_offset']) === k)?.['cohorts.cohort_retention']);

beforeAll(async () => {
  w = await serveWebApp();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.on('console', (m) => {
    if (m.type() === 'error') console.log('console', m.text().slice(0, 300));
  });
  page.on('pageerror', (e) => console.log('pageerror', e.message));
  await signIn(page, w.server.url, 'admin', '/cohorts?lang=en');
  await page.getByTestId('cohort-heatmap').waitFor();
});
afterAll(async () => {
  await browser?.close();
  await w?.stop();
});

describe('cohorts page', () => {
  it("shows the API's retention in every cell it checks", async () => {
    const rows = await matrix();
    for (const [month, k] of [
      ['2025-01', 0],
      ['2025-01', 3],
      ['2025-06', 2],
      ['2026-03', 1],
    ] as const) {
      expect(await cellValue(page, month, k)).toBeCloseTo(apiValue(rows, month, k), 9);
    }
  });

  it("recomputes a slice in the browser to the API's values for the same filter", { timeout: 120_000 }, async () => {
    await page.goto(`${w.server.url}/cohorts?lang=en&region=Kanto&signup_channel=store`);
    await page.getByTestId('slice-time').waitFor({ timeout: 60_000 });
    console.log(`slice recompute: ${await page.getByTestId('slice-time').getAttribute('data-ms')} ms`);
    const rows = await matrix([
      { member: 'cohorts.region', operator: 'equals', values: ['Kanto'] },
      { member: 'cohorts.signup_channel', operator: 'equals', values: ['store'] },
    ]);
    for (const [month, k] of [
      ['2025-01', 0],
      ['2025-01', 2],
      ['2025-08', 1],
      ['2026-02', 3],
    ] as const) {
      expect(await cellValue(page, month, k)).toBeCloseTo(apiValue(rows, month, k), 9);
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, 'cohorts-sliced.png'), fullPage: true });
  });

  it('opens a shared sliced URL on a skeleton, never on the unsliced matrix, and says データなし for a slice without members', { timeout: 120_000 }, async () => {
    // A fresh page loads the extract again: for those seconds the heat-map may show nothing but
    // the sliced figures. Every value a watched cell ever shows is recorded from the first paint.
    const fresh = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    try {
      await signIn(fresh, w.server.url, 'admin', '/cohorts?lang=en');
      await fresh.getByTestId('cohort-heatmap').waitFor();
      await fresh.addInitScript(() => {
        const seen: { values: string[]; skeleton: boolean } = { values: [], skeleton: false };
        (window as unknown as { seen: typeof seen }).seen = seen;
        new MutationObserver(() => {
          const value = document.querySelector('[data-testid="cell-2025-01-2"]')?.getAttribute('data-value');
          if (value !== undefined && value !== null && seen.values.at(-1) !== value) seen.values.push(value);
          if (document.querySelector('[data-testid="cohort-skeleton"]')) seen.skeleton = true;
        }).observe(document, { subtree: true, childList: true, attributes: true });
      });
      await fresh.goto(`${w.server.url}/cohorts?lang=en&region=Kanto&signup_channel=store`);
      await fresh.getByTestId('slice-time').waitFor({ timeout: 60_000 });
      const rows = await matrix([
        { member: 'cohorts.region', operator: 'equals', values: ['Kanto'] },
        { member: 'cohorts.signup_channel', operator: 'equals', values: ['store'] },
      ]);
      const seen = await fresh.evaluate(() => (window as unknown as { seen: { values: string[]; skeleton: boolean } }).seen);
      expect(seen.skeleton).toBe(true);
      expect(seen.values.length).toBeGreaterThan(0);
      for (const v of seen.values) expect(Number(v)).toBeCloseTo(apiValue(rows, '2025-01', 2), 9);

      await fresh.goto(`${w.server.url}/cohorts?lang=ja&region=Atlantis`);
      await fresh.getByTestId('cohort-no-data').getByText('データなし').waitFor({ timeout: 60_000 });
      expect(await fresh.getByTestId('cohort-heatmap').count()).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('drills from a cell to exactly its customers', async () => {
    await page.goto(`${w.server.url}/cohorts?lang=en`);
    await page.getByTestId('cell-2025-06-2').click();
    await page.getByTestId('drill-table').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="drill-table"] tbody tr').length > 0);
    const shown = await page.$$eval('[data-testid="drill-table"] tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
    const expected = await loadRows(
      w.server.url,
      {
        dimensions: ['cohorts.customer_id'],
        timeDimensions: [{ dimension: 'cohorts.cohort_month', dateRange: ['2025-06-01', '2025-06-30'] }],
        filters: [
          { member: 'cohorts.month_offset', operator: 'equals', values: ['2'] },
          { member: 'cohorts.is_active', operator: 'equals', values: ['true'] },
        ],
        order: { 'cohorts.customer_id': 'asc' },
        limit: 20,
      },
      admin,
    );
    expect(shown).toEqual(expected.map((r) => r['cohorts.customer_id']));
    // Admins see personal data in the drill-down.
    await page.getByText('@example.jp').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'cohorts-drilldown.png'), fullPage: true });
  });

  it('shows a marketer "< 10" in a slice wherever the API hides a small cohort', { timeout: 120_000 }, async () => {
    const marketerPage = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    try {
      await signIn(marketerPage, w.server.url, 'marketer', '/cohorts?lang=en&region=Kanto&age_band=40s');
      await marketerPage.getByTestId('slice-time').waitFor({ timeout: 60_000 });
      const rows = await loadRows(
        w.server.url,
        {
          measures: ['cohorts.cohort_retention'],
          dimensions: ['cohorts.month_offset'],
          timeDimensions: [{ dimension: 'cohorts.cohort_month', granularity: 'month' }],
          filters: [
            { member: 'cohorts.region', operator: 'equals', values: ['Kanto'] },
            { member: 'cohorts.age_band', operator: 'equals', values: ['40s'] },
          ],
          limit: 50000,
        },
        tokenFor({ tenant_id: 't01', role: 'marketer' }),
      );
      // Small cohorts: hidden by the API at every offset (other hidden cells are complementary ones).
      const monthOf = (r: Record<string, unknown>) => String(r['cohorts.cohort_month.month']).slice(0, 7);
      const months = [...new Set(rows.map(monthOf))];
      const hidden = months.filter((m) => rows.filter((r) => monthOf(r) === m).every((r) => r['cohorts.cohort_retention'] === null));
      const shown = months.filter((m) => rows.some((r) => monthOf(r) === m && Number(r['cohorts.month_offset']) === 0 && r['cohorts.cohort_retention'] !== null));
      expect(hidden.length).toBeGreaterThan(0);
      for (const month of hidden) {
        const cell = marketerPage.getByTestId(`cell-${month}-0`);
        expect(await cell.getAttribute('data-suppressed')).toBe('10');
        expect(await cell.textContent()).toBe('< 10');
      }
      // Headers and "< 10" cells each on one line (they wrapped into "<" over "10").
      // Line boxes of the text itself (not of the buttons and padding around it): more than one top = wrapped.
      const wrapped = await marketerPage.$$eval('[data-testid="cohort-heatmap"] th, [data-testid="cohort-heatmap"] td', (els) =>
        els
          .filter((el) => {
            const tops: number[] = [];
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              if (!node.textContent?.trim()) continue;
              const range = document.createRange();
              range.selectNodeContents(node);
              for (const rect of range.getClientRects()) if (rect.width > 0) tops.push(rect.top);
            }
            return tops.length > 0 && Math.max(...tops) - Math.min(...tops) > 8;
          })
          .map((el) => el.textContent),
      );
      expect(wrapped).toEqual([]);
      // The extract may leave out a complementary slice too, but most shown cohorts show.
      const shownHere = (await Promise.all(shown.map((m) => marketerPage.getByTestId(`cell-${m}-0`).getAttribute('data-suppressed')))).filter((a) => a === null);
      expect(shownHere.length).toBeGreaterThan(shown.length / 2);
      await marketerPage.screenshot({ path: path.join(SCREENSHOTS, 'cohorts-marketer-suppressed.png'), fullPage: true });
    } finally {
      await marketerPage.close();
    }
  });

  it('shows a marketer a note in place of the drill-down list, and asks for no list', { timeout: 120_000 }, async () => {
    // A cell's members are a list filtered on what they did (active that month): the server
    // refuses it to roles without personal data, so the page does not ask for it.
    const marketerPage = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const lists: string[] = [];
    const refused: string[] = [];
    marketerPage.on('request', (req) => {
      const query = new URL(req.url()).searchParams.get('query');
      if (req.url().includes('/cubejs-api/v1/load') && query?.includes('cohorts.customer_id')) lists.push(query);
    });
    marketerPage.on('response', (res) => {
      if (res.url().includes('/cubejs-api/v1/') && res.status() >= 400) refused.push(`${res.status()} ${decodeURIComponent(res.url())}`);
    });
    try {
      await signIn(marketerPage, w.server.url, 'marketer', '/cohorts?lang=en');
      await marketerPage.getByTestId('cohort-heatmap').waitFor({ timeout: 90_000 });
      await marketerPage.goto(`${w.server.url}/cohorts?lang=ja`);
      await marketerPage.getByTestId('cell-2025-06-2').click({ timeout: 90_000 });
      await marketerPage.getByTestId('drill-members-note').getByText('会員の一覧は個人データを扱える役割（CRMマネージャー・管理者）にのみ表示されます').waitFor();
      await marketerPage.waitForLoadState('networkidle');
      expect(await marketerPage.getByTestId('drill-table').count()).toBe(0);
      expect(lists).toEqual([]);
      expect(refused).toEqual([]);
    } finally {
      await marketerPage.close();
    }
  });
});
