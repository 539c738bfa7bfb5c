import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { formatValue } from '../../web/src/ui/format.js';
import { loadRows, tokenFor } from '../support/apiClient.js';
import { launchChromium } from '../support/browser.js';
import { queryDuckDBFile } from '../support/duckdbFile.js';
import { SCREENSHOTS, serveWebApp, signIn, type ServedProduct } from '../support/webApp.js';

// The campaigns page in Chromium against the API: undefined and unreadable lifts, segments as at
// assignment, switching the breakdown, and the table at 1,440 px.
const P = 'campaign_performance.';
const RFM = `${P}rfm_segment_at_assignment`;
const TIER = `${P}tier_at_assignment`;
let w: ServedProduct;
let browser: Browser;
let page: Page;
const admin = tokenFor({ tenant_id: '*', role: 'admin' });

/** The campaign with the most members (plain SQL), for breakdowns with several rows. */
let largest: string;

beforeAll(async () => {
  w = await serveWebApp();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await signIn(page, w.server.url, 'admin');
  await page.getByTestId('kpi-value-revenue').waitFor();
  [{ campaign_id: largest }] = (await queryDuckDBFile(w.duckdbFile, 'SELECT CAST(campaign_id AS VARCHAR) AS campaign_id FROM campaign_members GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1')) as {
    campaign_id: string;
  }[];
});
afterAll(async () => {
  await browser?.close();
  await w?.stop();
});

const segmentValues = async () => page.locator('[data-testid="segment-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-value')));
const apiSegments = async (dimension: string) =>
  (
    await loadRows(
      w.server.url,
      {
        measures: [`${P}treated_members`],
        dimensions: [dimension],
        filters: [{ member: `${P}campaigns_campaign_id`, operator: 'equals', values: [largest] }],
        order: { [dimension]: 'asc' },
      },
      admin,
    )
  ).map((r) => r[dimension]);

describe('campaigns', () => {
  it('says why a lift is undefined when the control group never converted, and never colours it', async () => {
    // Campaigns of the test warehouse whose control group has no conversion (calendar-day window, as the model).
    const zero = (
      await queryDuckDBFile(
        w.duckdbFile,
        `WITH conv AS (
        SELECT m.campaign_id, m.group_name, EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = m.customer_id AND o.ordered_at > m.assigned_at
          AND CAST(o.ordered_at AS DATE) <= CAST(m.assigned_at AS DATE) + c.attribution_days) AS converted
        FROM campaign_members m JOIN campaigns c USING (campaign_id))
      SELECT CAST(campaign_id AS VARCHAR) AS id FROM conv WHERE group_name = 'control' GROUP BY campaign_id HAVING NOT bool_or(converted) ORDER BY 1`,
      )
    ).map((r) => String(r.id));
    expect(zero.length).toBeGreaterThan(0);
    for (const lang of ['en', 'ja'] as const) {
      await page.goto(`${w.server.url}/campaigns?lang=${lang}`);
      await page.getByTestId('campaign-table').locator('tbody tr').first().waitFor();
      for (const id of zero) {
        const lift = page.getByTestId(`campaign-${id}`).getByTestId('lift');
        expect(await lift.getAttribute('data-verdict')).toBe('undefined');
        expect(await lift.textContent()).toBe(lang === 'en' ? 'undefined: no conversions in the control group' : '非配信群のコンバージョンが0件のため算出できません');
        expect(await lift.getAttribute('class')).not.toContain('emerald');
      }
    }
    await page.getByTestId(`campaign-${zero[0]}`).screenshot({ path: path.join(SCREENSHOTS, 'campaigns-undefined-lift.png') });
  });

  it('marks results under the minimum sample or with an interval including 0, and colours only significant wins', async () => {
    await page.goto(`${w.server.url}/campaigns?lang=en`);
    await page.getByTestId('campaign-table').locator('tbody tr').first().waitFor();
    const api = await loadRows(
      w.server.url,
      {
        measures: [`${P}control_conversions`, `${P}lift_sample_sufficient`, `${P}lift_relative_ci_low`],
        dimensions: [`${P}campaigns_campaign_id`],
      },
      admin,
    );
    let tooSmall = 0;
    for (const r of api) {
      const id = r[`${P}campaigns_campaign_id`];
      const verdict = page.getByTestId(`campaign-${id}`).getByTestId('verdict');
      const win = Number(r[`${P}control_conversions`]) > 0 && r[`${P}lift_sample_sufficient`] === '1' && Number(r[`${P}lift_relative_ci_low`]) > 0;
      if (Number(r[`${P}control_conversions`]) > 0 && r[`${P}lift_sample_sufficient`] === '0') {
        tooSmall += 1;
        expect(await verdict.textContent()).toBe('Too small to read');
      }
      expect((await page.getByTestId(`campaign-${id}`).getByTestId('lift').getAttribute('class'))!.includes('emerald')).toBe(win);
    }
    // Every campaign of the 3,000-customer warehouse has a control group under 30 members.
    expect(tooSmall).toBeGreaterThan(0);
    // The interval shown beside the lift is the lift's own (relative), as the API gives it.
    const [withCi] = api.filter((r) => r[`${P}lift_relative_ci_low`] !== null);
    const text = await page
      .getByTestId(`campaign-${withCi[`${P}campaigns_campaign_id`]}`)
      .getByTestId('lift')
      .textContent();
    const low = formatValue(Number(withCi[`${P}lift_relative_ci_low`]), 'percent', 'en');
    expect(text).toContain(`95 % CI ${low} to`);
  });

  it('breaks lift down by the RFM segment members had on the assignment date', async () => {
    await page.goto(`${w.server.url}/campaigns?lang=en&campaign=${largest}&by=${RFM}`);
    await page.getByTestId('segment-row').first().waitFor();
    expect(await segmentValues()).toEqual(await apiSegments(RFM));
    // A segment without control members has no control conversion: '–', not 0.0 % (tablePivot's fill).
    const [empty] = (
      await loadRows(
        w.server.url,
        {
          measures: [`${P}control_conversion`],
          dimensions: [RFM],
          filters: [{ member: `${P}campaigns_campaign_id`, operator: 'equals', values: [largest] }],
        },
        admin,
      )
    ).filter((r) => r[`${P}control_conversion`] === null);
    expect(empty).toBeDefined();
    expect(await page.locator(`[data-testid="segment-row"][data-value="${empty[RFM]}"] [data-testid="control-conversion"]`).textContent()).toBe('–');
    // RFM segment and tier offered are the ones at assignment (the ones at ref are not in the view any more).
    await page.getByTestId('segment-by').getByRole('button').first().click();
    const options = await page.getByRole('option').allTextContents();
    expect(options).toEqual(expect.arrayContaining(['RFM segment at assignment', 'Tier at assignment']));
    await page.keyboard.press('Escape');
  });

  it('draws a bar only for the groups whose lift the table reads (none for 算出不可 or too small)', async () => {
    await page.goto(`${w.server.url}/campaigns?lang=ja&campaign=${largest}&by=${RFM}`);
    await page.getByTestId('segment-row').first().waitFor();
    const verdicts = await page
      .locator('[data-testid="segment-row"]')
      .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-value'), r.querySelector('[data-testid="lift"]')!.getAttribute('data-verdict')]));
    const readable = verdicts.filter(([, v]) => ['win', 'loss', 'not_significant'].includes(v ?? '')).map(([value]) => value);
    // The 3,000-customer warehouse's single campaigns split by segment are under the minimum sample.
    expect(verdicts.length - readable.length).toBeGreaterThan(0);
    const chart = page.getByTestId('segment-chart');
    expect(JSON.parse((await chart.getAttribute('data-segments'))!)).toEqual(readable);
    expect(await chart.locator('.recharts-bar-rectangle').count()).toBe(readable.length);
    expect(await page.getByTestId('segment-chart-note').textContent()).toBe(`算出不可・人数不足の${verdicts.length - readable.length}区分はグラフに表示していません（表をご覧ください）`);
  });

  it('switching the breakdown from RFM segment to tier replaces the rows', { timeout: 170_000 }, async () => {
    await page.goto(`${w.server.url}/campaigns?lang=en&campaign=${largest}&by=${RFM}`);
    await page.getByTestId('segment-row').first().waitFor();
    const rfm = await segmentValues();
    // The choice is in the URL first (a page state like any other), then the rows follow. Under a
    // full suite on 2 cores the option's click was once lost (the URL never changed in 10 s) while
    // the card re-rendered: choose again then, as a person would, at most three times.
    for (let attempt = 1; ; attempt++) {
      await page.getByTestId('segment-by').getByRole('button').first().click();
      await page.getByRole('option', { name: 'Tier at assignment' }).click();
      const chosen = await page
        .waitForURL((url) => url.searchParams.get('by') === TIER, { timeout: 10_000 })
        .then(
          () => true,
          () => false,
        );
      if (chosen) break;
      if (attempt === 3) throw new Error(`The tier breakdown was chosen three times and the URL stayed ${page.url()}`);
      await page.keyboard.press('Escape');
    }
    const tiers = await apiSegments(TIER);
    await page
      .waitForFunction(
        (n) =>
          document.querySelectorAll('[data-testid="segment-row"]').length === n &&
          [...document.querySelectorAll('[data-testid="segment-row"]')].every((r) => ['regular', 'silver', 'gold', 'platinum'].includes(r.getAttribute('data-value') ?? '')),
        tiers.length,
        // The first tier breakdown builds its rollup: allow for a busy machine.
        { timeout: 110_000 },
      )
      .catch(async (e: Error) => {
        // Say what the card shows instead (rows of another breakdown, a message, a skeleton).
        const shown = await page.getByTestId('lift-by-segment').innerText();
        throw new Error(`${e.message}\nexpected ${tiers.join(', ')}; the card shows:\n${shown}`);
      });
    expect(await segmentValues()).toEqual(tiers);
    expect(rfm.some((v) => tiers.includes(v))).toBe(false);
    await page.getByTestId('lift-by-segment').screenshot({ path: path.join(SCREENSHOTS, 'campaigns-by-tier.png') });
  });

  it('the English campaign table fits a 1,440 px screen: no column cut off or scrolled away', async () => {
    await page.goto(`${w.server.url}/campaigns?lang=en`);
    const table = page.getByTestId('campaign-table');
    await table.locator('tbody tr').first().waitFor();
    const fit = await table.evaluate((el) => {
      const box = el.parentElement!;
      const right = box.getBoundingClientRect().right;
      return {
        scroll: box.scrollWidth,
        client: box.clientWidth,
        lastHeader: el.querySelector('thead th:last-child')!.getBoundingClientRect().right,
        right,
        page: document.documentElement.scrollWidth,
      };
    });
    expect(fit.scroll).toBeLessThanOrEqual(fit.client);
    expect(fit.lastHeader).toBeLessThanOrEqual(fit.right + 0.5);
    expect(fit.page).toBeLessThanOrEqual(1440);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'campaigns-1440-en.png'), fullPage: true });
  });
});
