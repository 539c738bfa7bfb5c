import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Browser, Download, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { queryDuckDBFile } from '../support/duckdbFile.js';
import { serveWebApp, signIn, type ServedProduct } from '../support/webApp.js';

// Issue 20, item 5: the board's monthly table exported snake_case headers (revenue, revenue_yoy)
// and raw ratios. Now its CSV reads as the table does, for Japanese Excel: a BOM, titles in
// Japanese, money as a plain number of yen (summable), 前年比 as the table writes it.
// The remaining exports: the campaign table exported campaign_performance.*
// headers and raw ratios (0.0421…), tier migration tier_migration.from_tier and codes (regular).
// Now every export goes through the one path the board and Explore use: a BOM for Japanese
// Excel, the model's titles in Japanese, rates as the page shows them, codes as labelled.
let w: ServedProduct;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  w = await serveWebApp();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await signIn(page, w.server.url, 'admin');
  await page.getByTestId('kpi-value-revenue').waitFor();
});
afterAll(async () => {
  await browser?.close();
  await w?.stop();
});

/** The downloaded file's text and its lines as cells (RFC 4180: a quoted cell may hold a comma). */
async function csvOf(download: Download) {
  const text = readFileSync((await download.path())!, 'utf8');
  const lines = text
    .slice(1)
    .trimEnd()
    .split('\r\n')
    .map((l) => l.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/));
  return { text, header: lines[0], rows: lines.slice(1) };
}

describe('CSV exports as the page reads them', () => {
  it("the board's monthly table: a BOM, Japanese titles, revenue in plain yen and 前年比 as the table shows it", async () => {
    await page.goto(`${w.server.url}/board?lang=ja`);
    const october = page.getByTestId('board-monthly-2026-10');
    await october.waitFor();
    const revenue = await october.locator('td[data-value]:not([data-testid])').first().getAttribute('data-value');
    const yoy = await october.getByTestId('yoy-revenue').textContent();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-monthly-kpis').click()]);
    const { text } = await csvOf(download);
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
    const lines = (await csvOf(download)).text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('RFMセグメント,リピート率');
    expect(lines).toContain(`チャンピオン,${shown}`);
    expect(shown).toMatch(/^\d+\.\d%$/);
  });
});

describe('the remaining CSV exports read as their pages do', () => {
  it('the campaign table: a BOM, the model titles in Japanese, conversion rates as the table shows them, the verdict in words', async () => {
    // A campaign whose control group never converted (plain SQL, the model's calendar-day window):
    // its lift does not exist, the table says 算出不可, and the CSV must not make it a hidden figure.
    const [{ id: undefinedLift }] = (await queryDuckDBFile(
      w.duckdbFile,
      `WITH conv AS (
        SELECT m.campaign_id, m.group_name, EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = m.customer_id AND o.ordered_at > m.assigned_at
          AND CAST(o.ordered_at AS DATE) <= CAST(m.assigned_at AS DATE) + c.attribution_days) AS converted
        FROM campaign_members m JOIN campaigns c USING (campaign_id))
      SELECT CAST(campaign_id AS VARCHAR) AS id FROM conv WHERE group_name = 'control' GROUP BY campaign_id HAVING NOT bool_or(converted) ORDER BY 1 LIMIT 1`,
    )) as { id: string }[];
    await page.goto(`${w.server.url}/campaigns?lang=ja`);
    const table = page.getByTestId('campaign-table');
    await table.locator('tbody tr').first().waitFor();
    const first = table.locator('tbody tr').first();
    const id = (await first.getAttribute('data-testid'))!.replace('campaign-', '');
    const control = (await first.getByTestId('control-conversion').textContent())!;
    const verdict = (await first.getByTestId('verdict').textContent())!;

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-campaigns').click()]);
    const csv = await csvOf(download);
    expect(csv.text.startsWith('\uFEFF')).toBe(true);
    // Titles from the model's meta.title_ja (model/cubes/campaigns/*.yml); the verdict's column is the table's 判定.
    expect(csv.header.slice(0, 5)).toEqual(['キャンペーンID', 'キャンペーン名', '目的', '配信チャネル', '開始日']);
    expect(csv.header).toContain('非配信群の購入率');
    expect(csv.header).toContain('判定');
    expect(csv.header.at(-1)).toBe('配信1人あたり増分売上 (円)');
    expect(csv.header.join()).not.toMatch(/campaign_performance|_/);

    const cell = (row: string[], title: string) => row[csv.header.indexOf(title)];
    const row = csv.rows.find((r) => r[0] === id)!;
    // The rate exactly as the table's cell writes it (4.2%), not the ratio 0.0421….
    expect(control).toMatch(/^\d+\.\d%$/);
    expect(cell(row, '非配信群の購入率')).toBe(control);
    expect(cell(row, '判定')).toBe(verdict);

    const undefinedRow = csv.rows.find((r) => r[0] === undefinedLift)!;
    expect(cell(undefinedRow, '判定')).toBe('算出不可');
    expect(cell(undefinedRow, 'リフト（相対）')).toBe('');
  });

  it("lift by segment: the segment under its Japanese title and label, each group's rates as its row shows them", async () => {
    await page.goto(`${w.server.url}/campaigns?lang=ja`);
    const id = (await page.getByTestId('campaign-table').locator('tbody tr').first().getAttribute('data-testid'))!.replace('campaign-', '');
    await page.goto(`${w.server.url}/campaigns?lang=ja&campaign=${id}&by=campaign_performance.rfm_segment_at_assignment`);
    await page.getByTestId('segment-row').first().waitFor();
    const shown = await page
      .getByTestId('segment-row')
      .evaluateAll((rows) =>
        rows.map((r) => [r.querySelector('td')!.textContent, r.querySelector('[data-testid="control-conversion"]')!.textContent, r.querySelector('[data-testid="verdict"]')!.textContent]),
      );
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-campaign-${id}-by-rfm_segment_at_assignment`).click()]);
    const csv = await csvOf(download);
    expect(csv.text.startsWith('\uFEFF')).toBe(true);
    // model/cubes/campaigns/campaign_member_states.yml: 割付時のRFMセグメント; values_ja label the codes (チャンピオン).
    expect(csv.header[0]).toBe('割付時のRFMセグメント');
    const column = csv.header.indexOf('非配信群の購入率');
    const verdict = csv.header.indexOf('判定');
    expect(csv.rows.map((r) => r[0])).toEqual(shown.map(([label]) => label));
    // A rate the row shows (4.2%) is the CSV's; a dash on screen (no figure) is an empty cell.
    expect(csv.rows.map((r) => [r[0], r[column] || '–', r[verdict] || '–'])).toEqual(shown);
  });

  it('the cohort heat-map: months as the rows name them, retention as the cells show it', async () => {
    await page.goto(`${w.server.url}/cohorts?lang=ja`);
    const cell = page.locator('[data-testid^="cell-"][data-testid$="-1"]:not([data-suppressed])').first();
    await cell.waitFor();
    const shown = (await cell.textContent())!;
    const month = (await cell.evaluate((b) => b.closest('tr')!.querySelector('td')!.textContent))!;
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-cohorts-retention').click()]);
    const csv = await csvOf(download);
    expect(csv.text.startsWith('\uFEFF')).toBe(true);
    // The heat-map's own column names (web/src/ui/i18n.ts: cohorts.cohort, offset, members, retention).
    expect(csv.header).toEqual(['初回購入月', '経過月数', '人数', '継続率']);
    expect(shown).toMatch(/^\d+\.\d%$/);
    expect(csv.rows.find((r) => r[0] === month && r[1] === '1')?.[3]).toBe(shown);
  });

  it('the tier migration: ranks as the matrix labels them, members as a plain number under 会員数', async () => {
    await page.goto(`${w.server.url}/segments?lang=ja&tier_from=2024-01-01&tier_to=2026-01-01`);
    await page.waitForFunction(() => document.querySelector('[data-testid="migration-regular-silver"]')?.getAttribute('data-value'));
    const shown = (await page.getByTestId('migration-regular-silver').textContent())!;
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-tier-migration-2024-01-01-2026-01-01').click()]);
    const csv = await csvOf(download);
    expect(csv.text.startsWith('\uFEFF')).toBe(true);
    // model/cubes/customers/tier_migrations.yml's titles; values_ja names regular レギュラー and silver シルバー.
    expect(csv.header).toEqual(['比較元のランク', '比較先のランク', '会員数']);
    const row = csv.rows.find((r) => r[0] === 'レギュラー' && r[1] === 'シルバー')!;
    // The cell shows 1,234; the CSV holds 1234, a number Excel can add up.
    expect(row[2]).toBe(shown.replace(/,/g, ''));
    expect(row[2]).toMatch(/^\d+$/);
  });
});
