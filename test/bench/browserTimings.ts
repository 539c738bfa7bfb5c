/**
 * In Chromium, on a generated warehouse: time from navigation to the board's first KPI, and the
 * time DuckDB-WASM takes to recompute the cohort matrix after a slice, beside the API's time for
 * the same filtered matrix (the server round trip the slice avoids).
 */
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { hashPassword } from '../../cube/auth/passwords.js';
import { UserStore } from '../../cube/auth/users.js';
import { startServer } from '../../cube/server.js';
import { buildWebAppIfStale, WEB_DIST } from '../../cube/webBuild.js';
import { load, TEST_SECRET, tokenFor } from '../support/apiClient.js';
import { launchChromium } from '../support/browser.js';
import { tempDir } from '../support/duckdbFile.js';
import { signIn } from '../support/webApp.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function browserTimings(warehouse: string, runs = 5): Promise<string[]> {
  await buildWebAppIfStale(() => {});
  const tmp = tempDir('crm-bench-');
  const file = path.join(tmp.dir, 'w.duckdb');
  copyFileSync(warehouse, file);
  const users = new UserStore([{ username: 'admin', role: 'admin', tenant_id: '*', password_hash: await hashPassword('admin-pw') }]);
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

    await page.goto(`${server.url}/cohorts?lang=en`);
    const extractStart = Date.now();
    await page.getByTestId('extract-progress').waitFor({ state: 'detached', timeout: 600_000 });
    lines.push(`cohort extract download + load into DuckDB-WASM: ${Date.now() - extractStart} ms`);
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
