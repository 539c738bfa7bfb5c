import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { REPO_ROOT } from '../../cube/paths.js';
import { columnFormatter } from '../../web/src/ui/format.js';
import { launchChromium } from '../support/browser.js';
import { queryDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { SCREENSHOTS, serveWebApp, signIn, type ServedProduct } from '../support/webApp.js';

// README "Adding a measure", followed with the product running: the analyst adds a measure and a
// view to the model folder the server serves, returns to the open browser tab, and finds the new
// measure in Explore with the warehouse's figure, without restarting the server or reloading.
const tmp = tempDir();
const model = path.join(tmp.dir, 'model');
let w: ServedProduct;
let browser: Browser;

beforeAll(async () => {
  cpSync(path.join(REPO_ROOT, 'model'), model, { recursive: true });
  w = await serveWebApp({ modelPath: model });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await w?.stop();
  tmp.remove();
});

describe('a measure added while the product runs', () => {
  it('shows in Explore when the analyst comes back to the tab, with the warehouse figure', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, w.server.url, 'admin', '/explore?lang=en');
    await page.getByTestId('explore-view').waitFor();
    // Set in this page; a reload would lose it.
    await page.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });

    const orders = path.join(model, 'cubes', 'sales', 'orders.yml');
    writeFileSync(
      orders,
      readFileSync(orders, 'utf8').replace(
        '    pre_aggregations:',
        `      - name: discount_total
        description: Sum of discount_amount of the orders, in JPY.
        sql: discount_amount
        type: sum
        meta:
          title_ja: 値引額
          title_en: Discount total
          format: currency

    pre_aggregations:`,
      ),
    );
    writeFileSync(
      path.join(model, 'views', 'analyst_points.yml'),
      `views:
  - name: analyst_points
    meta:
      title_ja: 値引分析
      title_en: Discount analysis
    cubes:
      - join_path: orders
        includes: [tenant_id, channel, ordered_at, revenue, discount_total]
`,
    );
    // The analyst comes back from the editor: the window gets focus again.
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    // Opened inside the page (no reload): the view and measure exist only in the new files.
    await page.evaluate(() => {
      window.history.pushState(null, '', '/explore?lang=en&view=analyst_points&measures=analyst_points.discount_total&dimensions=analyst_points.channel');
      window.dispatchEvent(new PopStateEvent('popstate'));
    });
    const appRow = page.locator('[data-testid="explore-table"] tbody tr', { hasText: 'App' });
    await appRow.waitFor({ timeout: 60_000 });
    const byChannel = await queryDuckDBFile(w.duckdbFile, 'SELECT channel, sum(discount_amount) AS d FROM orders GROUP BY channel');
    const text = (await appRow.locator('td').nth(1).textContent())!;
    // Formatted as the product formats an amount in a table column: one format for the whole column (web/src/ui/format.ts).
    const column = columnFormatter(
      byChannel.map((r) => Number(r.d)),
      'currency',
      'en',
    );
    expect(text).toBe(column(Number(byChannel.find((r) => r.channel === 'app')!.d)));
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'explore-new-measure.png'), fullPage: true });
    await page.close();
  });
});
