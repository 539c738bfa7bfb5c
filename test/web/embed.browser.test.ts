import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { REPO_ROOT } from '../../cube/paths.js';
import { tokenFor } from '../support/apiClient.js';
import { launchChromium } from '../support/browser.js';
import { tempDir } from '../support/duckdbFile.js';
import { SCREENSHOTS, serveWebApp, type ServedProduct } from '../support/webApp.js';

// The sample portal (web/embed-sample/portal.html), served from another origin, shows two
// embedded charts; the embed token cannot be turned into any other query from the page.
const tmp = tempDir();
let w: ServedProduct;
let portal: http.Server;
let portalUrl: string;
let browser: Browser;
const charts: { id: string; token: string }[] = [];

async function createChart(title: string, chartType: string, query: object) {
  const admin = tokenFor({ tenant_id: '*', role: 'admin' });
  const post = (url: string, body: object) =>
    fetch(`${w.server.url}${url}`, { method: 'POST', headers: { Authorization: admin, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
  const { chart } = await post('/api/charts', { title, chartType, query, tenant_id: 't01' });
  const { token } = await post(`/api/charts/${chart.id}/embed-tokens`, { tenant_id: 't01', expiresIn: '1h' });
  return { id: chart.id as string, token: token as string };
}

beforeAll(async () => {
  portal = http.createServer();
  await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
  // "localhost" and "127.0.0.1" are different origins: the portal is cross-origin to the product.
  portalUrl = `http://localhost:${(portal.address() as AddressInfo).port}`;
  w = await serveWebApp({ embedOrigins: [portalUrl], chartsFile: path.join(tmp.dir, 'charts.json') });
  charts.push(
    await createChart('Revenue by month', 'area', {
      measures: ['executive_kpis.revenue'],
      timeDimensions: [{ dimension: 'executive_kpis.ordered_at', granularity: 'month', dateRange: ['2025-11-01', '2026-10-31'] }],
    }),
  );
  charts.push(await createChart('Revenue by channel', 'donut', { measures: ['executive_kpis.revenue'], dimensions: ['executive_kpis.channel'] }));
  const html = readFileSync(path.join(REPO_ROOT, 'web/embed-sample/portal.html'), 'utf8')
    .replace('{{CRM_ORIGIN}}', w.server.url)
    .replace('{{CHART_1}}', charts[0].id)
    .replace('{{TOKEN_1}}', charts[0].token)
    .replace('{{CHART_2}}', charts[1].id)
    .replace('{{TOKEN_2}}', charts[1].token);
  portal.on('request', (_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(html));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await w?.stop();
  await new Promise((resolve) => portal?.close(resolve));
  tmp.remove();
});

describe('embedded charts', () => {
  it('render both charts in the sample portal', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 700 } });
    await page.goto(portalUrl);
    for (const [i, title] of ['Revenue by month', 'Revenue by channel'].entries()) {
      const frame = page.frameLocator('crm-chart iframe').nth(i);
      await frame.getByText(title).waitFor();
      await frame.locator('svg').first().waitFor();
    }
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'portal-embeds.png'), fullPage: true });
    await page.close();
  });

  it('cannot be turned into another query from the page', async () => {
    const page = await browser.newPage();
    await page.goto(`${w.server.url}/embed/${charts[0].id}?token=${charts[0].token}`);
    await page.getByTestId('embedded-chart').waitFor();
    const attempts = await page.evaluate(
      async ({ token, other }) => {
        const auth = { Authorization: `Bearer ${token}` };
        const q = encodeURIComponent(JSON.stringify({ measures: ['customer_segments.segment_size'], dimensions: ['customer_segments.customer_id'] }));
        return Promise.all([
          fetch(`/api/embed/${other}/data`, { headers: auth }).then((r) => r.status),
          fetch(`/cubejs-api/v1/load?query=${q}`, { headers: auth }).then((r) => r.status),
          fetch('/cubejs-api/v1/meta', { headers: auth }).then((r) => r.status),
          fetch('/api/charts', { headers: auth }).then((r) => r.status),
        ]);
      },
      { token: charts[0].token, other: charts[1].id },
    );
    expect(attempts).toEqual([403, 403, 403, 403]);
    await page.close();
  });

  it('is refused to a portal origin that is not configured', async () => {
    const res = await fetch(`${w.server.url}/embed/${charts[0].id}?token=${charts[0].token}`);
    expect(res.headers.get('content-security-policy')).toContain(`frame-ancestors 'self' ${portalUrl}`);
    const app = await fetch(`${w.server.url}/board`);
    expect(app.headers.get('content-security-policy')).toContain("frame-ancestors 'self';");
  });
});
