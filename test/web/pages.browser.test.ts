import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadRows, tokenFor } from '../support/apiClient.js';
import { launchChromium } from '../support/browser.js';
import { queryDuckDBFile } from '../support/duckdbFile.js';
import { SCREENSHOTS, serveWebApp, signIn, type ServedProduct } from '../support/webApp.js';

// Segments, campaigns and customer 360 in Chromium, each against the API's figures.
let w: ServedProduct;
let browser: Browser;
let page: Page;
const admin = tokenFor({ tenant_id: '*', role: 'admin' });
const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

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

describe('segments', () => {
  it("compares RFM segments side by side with the API's figures", async () => {
    await page.goto(`${w.server.url}/segments?lang=en&by=customer_segments.rfm_segment&segments=champions,loyal,at_risk`);
    const cell = page.getByTestId('champions-repeat_rate');
    await cell.waitFor();
    const [api] = await loadRows(
      w.server.url,
      { measures: ['customer_segments.repeat_rate', 'customer_segments.historical_ltv'], filters: [{ member: 'customer_segments.rfm_segment', operator: 'equals', values: ['champions'] }] },
      admin,
    );
    expect(Number(await cell.getAttribute('data-value'))).toBeCloseTo(Number(api['customer_segments.repeat_rate']), 9);
    expect(Number(await page.getByTestId('champions-historical_ltv').getAttribute('data-value'))).toBeCloseTo(Number(api['customer_segments.historical_ltv']), 4);
    await page.getByTestId('tier-migration').waitFor();
    await shot('segments');
  });

  it('adds a segment built from filters, with the figures the API gives for those filters', async () => {
    await page.goto(`${w.server.url}/segments?lang=en&by=customer_segments.tier&f_region=Kanto&f_age_band=40s`);
    const cell = page.getByTestId('built-repeat_rate');
    await cell.waitFor();
    const [api] = await loadRows(
      w.server.url,
      {
        measures: ['customer_segments.segment_size', 'customer_segments.repeat_rate'],
        filters: [
          { member: 'customer_segments.region', operator: 'equals', values: ['Kanto'] },
          { member: 'customer_segments.age_band', operator: 'equals', values: ['40s'] },
        ],
      },
      admin,
    );
    expect(Number(await page.getByTestId('built-segment_size').getAttribute('data-value'))).toBe(Number(api['customer_segments.segment_size']));
    expect(Number(await cell.getAttribute('data-value'))).toBeCloseTo(Number(api['customer_segments.repeat_rate']), 9);
    await page.getByText('Built segment: Kanto · 40s').waitFor();
    // Three values of the dimension beside it: at most four cards in all.
    expect(await page.locator('[data-testid="segment-cards"] > *').count()).toBe(4);
    await shot('segments-built');

    // Clearing the conditions in the builder removes the card (no stale figures stay behind).
    for (const role of ['region', 'age_band']) {
      await page.getByTestId(`build-${role}`).getByRole('button').first().click();
      await page.getByRole('option', { name: /: All$/ }).click();
    }
    await page.getByTestId('segment-built').waitFor({ state: 'detached' });
    expect(page.url()).not.toContain('f_');
  });

  it('exports an email list of opted-in members only, under Japanese headers, and a LINE list without emails', async () => {
    await page.goto(`${w.server.url}/segments?lang=ja&by=customer_segments.rfm_segment&segments=champions`);
    const csv = async (testId: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
      const { readFileSync } = await import('node:fs');
      const lines = readFileSync((await download.path())!, 'utf8')
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      return { header: lines[0], ids: lines.slice(1).map((l) => Number(l.split(',')[0])) };
    };
    const champions = (
      await loadRows(
        w.server.url,
        { dimensions: ['customer_segments.customer_id'], filters: [{ member: 'customer_segments.rfm_segment', operator: 'equals', values: ['champions'] }], limit: 100000 },
        admin,
      )
    ).map((r) => Number(r['customer_segments.customer_id']));
    const consenting = async (column: string) =>
      (await queryDuckDBFile(w.duckdbFile, `SELECT customer_id FROM customers WHERE ${column} AND customer_id IN (${champions.join(',')}) ORDER BY 1`)).map((r) => Number(r.customer_id));
    const email = await csv('contacts-champions-email');
    expect(email.header).toBe('会員ID,氏名,メールアドレス');
    // Independent count on the warehouse file: every exported row opted in, and every opted-in champion exported.
    expect(email.ids).toEqual(await consenting('email_opt_in AND email IS NOT NULL'));
    const line = await csv('contacts-champions-line');
    expect(line.header).toBe('会員ID,氏名');
    expect(line.ids).toEqual(await consenting('line_linked'));
    console.log(`champions: ${champions.length} members, email list ${email.ids.length}, LINE list ${line.ids.length}`);
  });

  it('labels every segment on the charts and keeps the value axis inside the chart', async () => {
    await page.goto(`${w.server.url}/segments?lang=ja&by=customer_segments.rfm_segment&segments=champions,loyal,at_risk&f_region=Kanto&f_age_band=40s`);
    await page.getByTestId('segment-built').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.recharts-wrapper .recharts-bar-rectangle').length >= 8);
    const titles = await page.$$eval('[data-testid="segment-cards"] > * h3, [data-testid="segment-cards"] > * [class*="tremor-title"]', (els) => [...new Set(els.map((e) => e.textContent!.trim()))]);
    const charts = await page.$$eval('.recharts-wrapper', (wrappers) =>
      wrappers.map((wrapper) => {
        const box = wrapper.getBoundingClientRect();
        const ticks = [...wrapper.querySelectorAll('.recharts-cartesian-axis-tick text')];
        return {
          labels: ticks.map((t) => t.textContent),
          clipped: ticks
            .filter((t) => {
              const r = t.getBoundingClientRect();
              return r.left < box.left - 0.5 || r.right > box.right + 0.5;
            })
            .map((t) => t.textContent),
        };
      }),
    );
    expect(charts.length).toBeGreaterThanOrEqual(4);
    expect(titles.length).toBe(4);
    for (const chart of charts) {
      // Recharts breaks a long label into lines (one tspan each): compare without the spaces it breaks at.
      const bare = (t: string | null) => (t ?? '').replace(/\s+/g, '');
      for (const title of titles) expect(chart.labels.map(bare), JSON.stringify(chart.labels)).toContain(bare(title));
      expect(chart.clipped).toEqual([]);
    }
    await shot('segments-charts');
  });

  it('shows the tier migration between two chosen dates as the API gives it', async () => {
    await page.goto(`${w.server.url}/segments?lang=en&tier_from=2024-01-01&tier_to=2026-01-01`);
    await page.getByTestId('migration-regular-silver').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="migration-regular-regular"]')?.getAttribute('data-value'));
    const rows = await loadRows(
      w.server.url,
      {
        measures: ['tier_migration.members'],
        dimensions: ['tier_migration.from_tier', 'tier_migration.to_tier'],
        timeDimensions: [{ dimension: 'tier_migration.from_date', dateRange: ['2024-01-01', '2024-01-01'] }],
        filters: [{ member: 'tier_migration.to_date', operator: 'inDateRange', values: ['2026-01-01', '2026-01-01'] }],
      },
      admin,
    );
    expect(rows.length).toBeGreaterThan(1);
    for (const r of rows) {
      expect(await page.getByTestId(`migration-${r['tier_migration.from_tier']}-${r['tier_migration.to_tier']}`).getAttribute('data-value')).toBe(r['tier_migration.members']);
    }
    await page.getByTestId('tier-migration-card').screenshot({ path: path.join(SCREENSHOTS, 'segments-tier-migration.png') });
  });
});

describe('campaigns', () => {
  it('lists campaigns with lift and its interval, and lift by segment', async () => {
    await page.goto(`${w.server.url}/campaigns?lang=en`);
    await page.getByTestId('lift-by-segment').waitFor();
    const rows = await loadRows(w.server.url, { measures: ['campaign_performance.campaign_lift'], dimensions: ['campaign_performance.campaigns_campaign_id'] }, admin);
    expect(await page.locator('[data-testid="campaign-table"] tbody tr').count()).toBe(rows.length);
    await page.waitForTimeout(500);
    await shot('campaigns');
  });
});

describe('customer 360', () => {
  it("shows one member's profile and every order on the timeline", async () => {
    const [member] = await queryDuckDBFile(w.duckdbFile, 'SELECT customer_id, count(*) AS n FROM orders WHERE customer_id IS NOT NULL GROUP BY 1 ORDER BY n DESC, customer_id LIMIT 1');
    await page.goto(`${w.server.url}/customer?lang=en&id=${member.customer_id}`);
    await page.getByTestId('customer-profile').waitFor();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="customer-timeline"] li').length >= n, Number(member.n));
    expect(await page.locator('[data-testid="customer-timeline"] li', { hasText: 'Order' }).count()).toBe(Number(member.n));
    await page.getByTestId('customer-profile').getByText('@example.jp').waitFor();
    await shot('customer-360');
  });
});
