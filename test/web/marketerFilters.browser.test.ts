import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { serveWebApp, signIn, type ServedProduct } from '../support/webApp.js';

// Issue 19, item 2: a role under suppression may filter on categories only. The pages a
// marketer uses filter on categories and whole days (the board's fiscal year, the segment
// builder's attributes, a campaign id): this walks them in Chromium and records every query
// the server refuses. A cohort cell's drill-down shows a marketer a note, not a member list (a
// list filtered on members' activity is for roles with personal data).
let w: ServedProduct;
let browser: Browser;
let page: Page;
const refused: string[] = [];
const filtered = new Set<string>();

beforeAll(async () => {
  w = await serveWebApp();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('request', (req) => {
    const query = new URL(req.url()).searchParams.get('query');
    if (req.url().includes('/cubejs-api/v1/load') && query) {
      const walk = (filters: { member?: string; and?: unknown[]; or?: unknown[] }[] = []): void =>
        filters.forEach((f) => {
          if (f.member) filtered.add(f.member);
          walk(f.and as never);
          walk(f.or as never);
        });
      walk(JSON.parse(query).filters);
    }
  });
  page.on('response', async (res) => {
    if (res.url().includes('/cubejs-api/v1/') && res.status() >= 400) refused.push(`${res.status()} ${decodeURIComponent(res.url())} ${await res.text()}`);
  });
  await signIn(page, w.server.url, 'marketer', '/board?lang=en');
  await page.getByTestId('kpi-value-revenue').waitFor({ timeout: 90_000 });
});
afterAll(async () => {
  await browser?.close();
  await w?.stop();
});

describe("a marketer's pages", () => {
  it('send no filter the server refuses: board, fiscal year, segments and the builder, cohorts and a drill-down note, campaigns', async () => {
    const settle = () => page.waitForLoadState('networkidle');
    await page.goto(`${w.server.url}/board?lang=en&period=fiscal_year`);
    await page.getByTestId('board-landing').waitFor({ timeout: 90_000 });
    await settle();
    await page.goto(`${w.server.url}/segments?lang=en&f_region=Kanto&f_age_band=40s`);
    await page.getByTestId('segment-cards').waitFor({ timeout: 90_000 });
    await settle();
    await page.goto(`${w.server.url}/cohorts?lang=en`);
    await page.getByTestId('cell-2025-06-2').click({ timeout: 90_000 });
    await page.getByTestId('drill-members-note').waitFor();
    await settle();
    await page.goto(`${w.server.url}/campaigns?lang=en`);
    await settle();
    expect(refused).toEqual([]);
    // The numbers and times among them, each a category or a whole day: before they were marked
    // meta.category, the landing card's fiscal-year filter would have been refused (403).
    expect([...filtered].filter((m) => /fiscal_year|month_offset|campaign_id|_at$|date/.test(m)).sort()).toEqual(expect.arrayContaining(['kpi_landing.fiscal_year']));
    // The drill-down asked for no member list (its month offset and activity filters).
    expect(filtered.has('cohorts.month_offset')).toBe(false);
  }, 300_000);
});
