import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildCatalog } from '../../web/src/data/catalog.js';
import { ADMIN_TOKEN } from '../support/apiClient.js';
import { launchChromium } from '../support/browser.js';
import { queryDuckDBFile } from '../support/duckdbFile.js';
import { SCREENSHOTS, serveWebApp, type ServedProduct } from '../support/webApp.js';

/*
 * Every page in Japanese, as the admin sees it, holds no untranslated member name or value and
 * no English word: the visible text of each page is scanned for the model's member names, the
 * stored codes of its categorical dimensions (champions, at_risk, Kanto, store, gold…) and any
 * ASCII word of three letters or more outside the units and brands a Japanese retailer writes
 * in Latin letters.
 */
const ALLOWED = new Set(['CRM', 'KPI', 'KGI', 'CSV', 'EC', 'RFM', 'LINE', 'CLV', 'LTV', 'ID', 'API', 'DM']);

let w: ServedProduct;
let browser: Browser;
let page: Page;
/** Stored codes and member names that must never show in the Japanese UI. */
let codes: Set<string>;
let memberId: string;

beforeAll(async () => {
  w = await serveWebApp();
  const res = await fetch(`${w.server.url}/cubejs-api/v1/meta`, { headers: { Authorization: ADMIN_TOKEN() } });
  const catalog = buildCatalog((await res.json()).cubes);
  const members = catalog.views.flatMap((v) => [...v.measures, ...v.dimensions]);
  codes = new Set([
    ...members.flatMap((m) => [m.name, m.name.split('.')[1]]),
    ...catalog.views.map((v) => v.name),
    // Codes whose Japanese label differs from them (EC stays EC, LINE stays LINE).
    ...members.flatMap((m) =>
      Object.entries(m.values.ja)
        .filter(([code, label]) => code !== label)
        .map(([code]) => code),
    ),
  ]);
  [{ customer_id: memberId }] = (await queryDuckDBFile(
    w.duckdbFile,
    "SELECT customer_id FROM customers WHERE tenant_id = 't01' AND customer_id IN (SELECT customer_id FROM campaign_members) AND customer_id IN (SELECT customer_id FROM inquiries) ORDER BY customer_id LIMIT 1",
  )) as { customer_id: string }[];
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  // First queries of a page build pre-aggregations on a 2-core machine shared with other tests.
  page.setDefaultTimeout(90_000);
  // Signing in is part of the scan: the login page in Japanese.
  await page.goto(`${w.server.url}/board?lang=ja`);
  await page.getByPlaceholder('ユーザー名').fill('admin');
  await page.getByPlaceholder('パスワード').fill('admin-pw');
  await page.getByRole('button', { name: 'ログイン' }).click();
  await page.getByTestId('kpi-value-revenue').waitFor();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await w?.stop();
});

/** The page's visible text, without the user's own id and the language switch's "English". */
async function visibleText(): Promise<string> {
  return page.evaluate(() => {
    const hidden = [...document.querySelectorAll<HTMLElement>('[data-testid="identity"], [data-testid="lang-en"]')];
    hidden.forEach((e) => {
      e.style.display = 'none';
    });
    const text = document.body.innerText;
    hidden.forEach((e) => {
      e.style.display = '';
    });
    return text;
  });
}

/** Waits until nothing loads any more: no skeleton, no busy element, no request in flight. */
async function settled(): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
  await page.waitForLoadState('networkidle');
}

/** Untranslated words of a text: codes and member names, and ASCII words outside the allow-list (emails aside). */
function untranslated(text: string, known: Set<string>): string[] {
  const words = (text.replace(/[\w.+-]+@[\w.-]+/g, ' ').match(/[A-Za-z0-9_+]+(?:\.[A-Za-z0-9_+]+)*/g) ?? []).filter((word) => /[A-Za-z]/.test(word));
  return [...new Set(words.filter((word) => known.has(word) || word.includes('_') || (/^[A-Za-z]{3,}$/.test(word) && !ALLOWED.has(word))))];
}

const PAGES: [string, () => string][] = [
  ['board', () => '/board?lang=ja'],
  ['segments', () => '/segments?lang=ja&by=customer_segments.rfm_segment&f_region=Kanto&f_age_band=40s'],
  ['segments-tier', () => '/segments?lang=ja&by=customer_segments.tier'],
  ['cohorts', () => '/cohorts?lang=ja&signup_channel=store'],
  ['campaigns', () => '/campaigns?lang=ja'],
  ['customer', () => `/customer?lang=ja&id=${memberId}`],
  ['explore', () => '/explore?lang=ja&view=customer_segments&measures=customer_segments.segment_size,customer_segments.churn_rate&dimensions=customer_segments.rfm_segment&chart=table'],
  ['explore-bar', () => '/explore?lang=ja&view=executive_kpis&measures=executive_kpis.revenue&dimensions=executive_kpis.channel&chart=bar'],
];

describe('every page in Japanese', () => {
  it('the scanner finds codes, member names and English words, and lets units, brands and emails through', () => {
    const known = new Set(['at_risk', 'Kanto', 'repeat_rate']);
    expect(untranslated('離反リスク at_risk 関東 Kanto KPI CSV EC LINE 40代 40s ¥10,350 12 ms yui.sato1@example.jp Loading… customer_health.repeat_rate', new Set([...known, '40s']))).toEqual([
      'at_risk',
      'Kanto',
      '40s',
      'Loading',
      'customer_health.repeat_rate',
    ]);
  });

  for (const [name, url] of PAGES) {
    it(`${name}: no untranslated member value or label`, async () => {
      await page.goto(`${w.server.url}${url()}`);
      await settled();
      // Charts and tables are on screen, not only their frames.
      expect((await visibleText()).length).toBeGreaterThan(200);
      await page.screenshot({ path: path.join(SCREENSHOTS, `ja-${name}.png`), fullPage: true });
      const found = untranslated(await visibleText(), codes);
      console.log(`${name}: ${found.length} untranslated${found.length ? `: ${found.join(', ')}` : ''}`);
      expect(found, `untranslated on ${name}`).toEqual([]);
    }, 240_000);
  }
});
