import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { importFile } from '../../seeds/import/importFile.js';
import { launchChromium } from '../support/browser.js';
import { queryDuckDBFile } from '../support/duckdbFile.js';
import { serveWebApp, signIn, type ServedProduct } from '../support/webApp.js';

/*
 * Issue 19, item 8, through the product: three tenants imported (as a tenant's admin imports
 * them, `name` and `store` being theirs to choose) under names that are spreadsheet formulas.
 * The all-tenant admin exports the board's revenue by tenant in Chromium; the downloaded file
 * must hold those names as text (a leading '), and the revenue figures as plain numbers.
 */
const ATTACKS = [
  { tenant: 'evil1', name: '=HYPERLINK("http://evil","x")', amount: 1000 },
  { tenant: 'evil2', name: '@SUM(1+1)', amount: 2000 },
  { tenant: 'evil3', name: "+cmd|'/C calc'!A0", amount: 3000 },
];
let w: ServedProduct;
let browser: Browser;
let page: Page;
let lastDay = '';

beforeAll(async () => {
  w = await serveWebApp({
    prepare: async (warehouse) => {
      // One order per attacker tenant on the generated data's last day, so the board's period holds it.
      const [{ day }] = await queryDuckDBFile(warehouse, "SELECT strftime(max(ordered_at), '%Y-%m-%d') AS day FROM orders");
      lastDay = String(day);
      for (const a of ATTACKS) {
        const file = path.join(path.dirname(warehouse), `${a.tenant}.csv`);
        writeFileSync(file, `customer_id,order_id,ordered_at,amount,store\r\nm1,o1,${lastDay} 12:00,${a.amount},"${a.name.replace(/"/g, '""')}"\r\n`);
        await importFile({ format: 'orders-csv', file, tenant: a.tenant, tenantName: a.name, warehouse });
      }
    },
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(page, w.server.url, 'admin');
  await page.getByTestId('kpi-value-revenue').waitFor();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await w?.stop();
});

describe("the all-tenant admin's CSV of revenue by tenant", () => {
  it('holds tenant names that are formulas as text, and the revenue as numbers', async () => {
    await page.goto(`${w.server.url}/board?lang=en&period=custom&from=${lastDay}&to=${lastDay}`);
    const card = page.getByTestId('board-by-tenant');
    await card.getByText(ATTACKS[2].name).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-revenue-by-tenant').click()]);
    const lines = readFileSync((await download.path())!, 'utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('Tenant name,Revenue (JPY)');
    // Written out by hand: a leading ' (OWASP), then RFC 4180 quoting where the name holds " or ,.
    expect(lines).toContain(`"'=HYPERLINK(""http://evil"",""x"")",1000`);
    expect(lines).toContain(`'@SUM(1+1),2000`);
    expect(lines).toContain(`'+cmd|'/C calc'!A0,3000`);
    // No other cell starts a formula; every figure is a plain number.
    for (const line of lines.slice(1)) {
      expect(line).not.toMatch(/^"?[=+\-@\t\r]/);
      expect(line).toMatch(/,\d+(\.\d+)?$/);
    }
  });
});
