import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { serveWebApp, signIn, type ServedProduct } from '../support/webApp.js';

// Issue 20, item 5: the board's monthly table exported snake_case headers (revenue, revenue_yoy)
// and raw ratios. Now its CSV reads as the table does, for Japanese Excel: a BOM, titles in
// Japanese, money as a plain number of yen (summable), 前年比 as the table writes it.
let w: ServedProduct;
let browser: Browser;
let page: Page;

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

describe('CSV exports as the page reads them', () => {
  it("the board's monthly table: a BOM, Japanese titles, revenue in plain yen and 前年比 as the table shows it", async () => {
    await page.goto(`${w.server.url}/board?lang=ja`);
    const october = page.getByTestId('board-monthly-2026-10');
    await october.waitFor();
    const revenue = await october.locator('td[data-value]:not([data-testid])').first().getAttribute('data-value');
    const yoy = await october.getByTestId('yoy-revenue').textContent();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-monthly-kpis').click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines[0].startsWith('月,売上 (円),売上 前年比,')).toBe(true);
    const row = lines.find((l) => l.startsWith('2026年10月,'))!.split(',');
    // The table's own figure, unrounded, and its change exactly as the cell writes it.
    expect(row[1]).toBe(String(Number(revenue)));
    expect(row[2]).toBe(yoy);
    expect(row[2]).toMatch(/^[+-]\d+\.\d%$/);
  });

  // The segment comparison's card exported segment,customer_segments.repeat_rate and 0.26….
  it("exports a segment card under the dimension's and the measure's Japanese titles, the rate as shown", async () => {
    await page.goto(`${w.server.url}/segments?lang=ja&by=customer_segments.rfm_segment&segments=champions,loyal`);
    const cell = page.getByTestId('champions-repeat_rate');
    await cell.waitFor();
    const shown = (await cell.textContent())!;
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-segments-repeat_rate').click()]);
    const lines = readFileSync((await download.path())!, 'utf8')
      .slice(1)
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('RFMセグメント,リピート率');
    expect(lines).toContain(`チャンピオン,${shown}`);
    expect(shown).toMatch(/^\d+\.\d%$/);
  });
});
