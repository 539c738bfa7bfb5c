/**
 * In Chromium, on a generated warehouse: time from navigation to the board's first KPI, and the
 * time DuckDB-WASM takes to recompute the cohort matrix after a slice, beside the API's time for
 * the same filtered matrix (the server round trip the slice avoids).
 */
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { hashPassword } from '../../cube/auth/passwords.js';
import type { UserRecord } from '../../cube/auth/users.js';
import { startServer } from '../../cube/server.js';
import { buildWebAppIfStale, WEB_DIST } from '../../cube/webBuild.js';
import { load, TEST_SECRET, tokenFor } from '../support/apiClient.js';
import { launchChromium } from '../support/browser.js';
import { tempDir } from '../support/duckdbFile.js';
import { signIn } from '../support/webApp.js';
import type { Page } from 'playwright-core';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Navigation to the cohort page until its extract is loaded into DuckDB-WASM (sliceable): the
 * first visit (the server builds the extract) and later visits (built once per rollup version;
 * the browser revalidates its copy by ETag), each a full page load with a fresh DuckDB-WASM.
 */
async function cohortPageSliceable(page: Page, url: string, who: string, runs: number): Promise<string> {
  const visit = async (i: number) => {
    const started = Date.now();
    await page.goto(`${url}/cohorts?lang=en&region=Kanto&visit=${i}`);
    // A sliced URL: its matrix is computed in DuckDB-WASM from the loaded extract, then the slice time shows.
    await page.getByTestId('slice-time').waitFor({ timeout: 600_000 });
    return Date.now() - started;
  };
  const first = await visit(0);
  const later: number[] = [];
  for (let i = 1; i <= runs; i++) later.push(await visit(i));
  return `cohort page sliceable after navigation, ${who}: first visit ${first} ms (extract built); later visits median ${median(later)} ms over ${runs} (max ${Math.max(...later)} ms); ratio x${(first / median(later)).toFixed(1)}`;
}

export async function browserTimings(warehouse: string, runs = 5): Promise<string[]> {
  await buildWebAppIfStale(() => {});
  const tmp = tempDir('crm-bench-');
  const file = path.join(tmp.dir, 'w.duckdb');
  copyFileSync(warehouse, file);
  const users: UserRecord[] = [
    { username: 'admin', role: 'admin', tenant_id: '*', password_hash: await hashPassword('admin-pw') },
    { username: 'marketer', role: 'marketer', tenant_id: 't01', password_hash: await hashPassword('marketer-pw') },
  ];
  const server = await startServer({ warehouse: file, apiSecret: TEST_SECRET, port: 0, webDist: WEB_DIST, refreshIntervalSeconds: 0, users, demoIdentity: null });
  const browser = await launchChromium();
  const lines: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, server.url, 'admin');
    await page.getByTestId('kpi-value-revenue').waitFor({ timeout: 600_000 }); // first visit builds the rollups
    const firstKpi: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = Date.now();
      await page.goto(`${server.url}/board?lang=en&run=${i}`);
      await page.waitForFunction(() => document.querySelector('[data-testid="kpi-value-revenue"]')?.getAttribute('data-value'), undefined, { timeout: 120_000 });
      firstKpi.push(Date.now() - started);
    }
    lines.push(`navigation to the board's first KPI: median ${median(firstKpi)} ms over ${runs} loads`);

    lines.push(await cohortPageSliceable(page, server.url, 'admin', runs));
    const marketerPage = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(marketerPage, server.url, 'marketer');
    await marketerPage.getByTestId('kpi-value-revenue').waitFor({ timeout: 600_000 });
    lines.push(await cohortPageSliceable(marketerPage, server.url, 'marketer (t01, small groups suppressed)', runs));
    const slices = [
      ['region', 'Kanto'],
      ['signup_channel', 'store'],
      ['tier', 'silver'],
      ['age_band', '40s'],
      ['gender', 'female'],
    ];
    const local: number[] = [];
    const remote: number[] = [];
    const admin = tokenFor({ tenant_id: '*', role: 'admin' });
    for (const [dimension, value] of slices) {
      await page.goto(`${server.url}/cohorts?lang=en&${dimension}=${value}`);
      const timing = page.getByTestId('slice-time');
      await timing.waitFor({ timeout: 600_000 });
      local.push(Number(await timing.getAttribute('data-ms')));
      const t0 = performance.now();
      await load(
        server.url,
        {
          measures: ['cohorts.cohort_retention'],
          dimensions: ['cohorts.month_offset'],
          limit: 50000,
          timeDimensions: [{ dimension: 'cohorts.cohort_month', granularity: 'month' }],
          filters: [{ member: `cohorts.${dimension}`, operator: 'equals', values: [value] }],
        },
        admin,
      );
      remote.push(performance.now() - t0);
    }
    lines.push(
      `cohort matrix after a slice, in Chromium (DuckDB-WASM): median ${median(local).toFixed(0)} ms; ` +
        `same matrix from the API: median ${median(remote).toFixed(0)} ms; ratio x${(median(remote) / median(local)).toFixed(1)}`,
    );
  } finally {
    await browser.close();
    await server.close();
    tmp.remove();
  }
  return lines;
}
