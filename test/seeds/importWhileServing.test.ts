import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../cube/paths.js';
import { generateWarehouse } from '../../seeds/generate.js';
import { IMPORT_ROUTE } from '../../seeds/import/importEvents.js';
import { ADMIN_TOKEN, tokenFor } from '../support/apiClient.js';
import { queryDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { productFilesIn, startProduct, type RunningProduct } from '../support/product.js';
import { loadWithRollups } from '../support/rollupsServing.js';
import { TEST_WAREHOUSE } from '../support/warehouses.js';

// `npm run import` while `npm start` holds the DuckDB file: the import goes through the server,
// and the API answers the new rows at once, from rebuilt rollups, without a restart.
const FILES = path.join(REPO_ROOT, 'test', 'seeds', 'import-files');
const CDNOW_SAMPLE = path.join(REPO_ROOT, 'test', 'fixtures', 'cdnow', 'cdnow_sample.txt');
const ONLINE_RETAIL = path.join(FILES, 'online_retail.csv');

const tmp = tempDir('crm-import-serving-');
const served = path.join(tmp.dir, 'served.duckdb');
let product: RunningProduct;

beforeAll(async () => {
  await generateWarehouse({ out: served, ...TEST_WAREHOUSE });
  // The CDNOW sample is 228,327 bytes: the limit lets it through and refuses a file twice its size.
  product = await startProduct({ CRM_WAREHOUSE: served, ...productFilesIn(tmp.dir), CRM_WEB: 'off', CRM_IMPORT_MAX_BYTES: '300000' });
}, 240_000);
afterAll(async () => {
  await product?.stop();
  tmp.remove();
});

interface Run {
  status: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** `npm run import -- …` as a user runs it, with an admin token in CRM_ADMIN_TOKEN and the server's port. */
function npmImport(args: string[]): Promise<Run> {
  const started = performance.now();
  const { CUBEJS_API_SECRET: _none, ...env } = process.env;
  const port = new URL(product.url).port;
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '--silent', 'import', '--', ...args],
      { cwd: REPO_ROOT, encoding: 'utf8', env: { ...env, PORT: port, CRM_ADMIN_TOKEN: ADMIN_TOKEN(), CRM_SECRET_FILE: path.join(tmp.dir, 'no-secret') } },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr, seconds: (performance.now() - started) / 1000 }),
    );
  });
}
const lastJson = (run: Run) => JSON.parse(run.stdout.trim().split('\n').at(-1)!);

/** Revenue and orders of one tenant by year, through the board's rollup. */
async function boardFigures(tenant: string): Promise<Figures> {
  const { status, body, rollups } = await loadWithRollups(product.url, {
    measures: ['executive_kpis.revenue', 'executive_kpis.orders'],
    timeDimensions: [{ dimension: 'executive_kpis.ordered_at', granularity: 'year' }],
    filters: [{ member: 'executive_kpis.tenant_id', operator: 'equals', values: [tenant] }],
  });
  expect(status, JSON.stringify(body)).toBe(200);
  expect(rollups).toEqual(['crm_pre_aggregations.orders_board_daily']);
  const rows: Record<string, string>[] = body.data;
  return Object.fromEntries(rows.map((r) => [r['executive_kpis.ordered_at.year'].slice(0, 4), { revenue: Number(r['executive_kpis.revenue']), orders: Number(r['executive_kpis.orders']) }]));
}

type Figures = Record<string, { revenue: number; orders: number }>;

/** Members of a tenant's cohorts in the cohort page's extract (cached by the server per rollup version and data version). */
async function extractMembers(tenant: string): Promise<number> {
  const res = await fetch(`${product.url}/api/extracts/cohort-activity`, { headers: { Authorization: tokenFor({ tenant_id: tenant, role: 'admin' }) } });
  expect(res.status).toBe(200);
  const rows = tableFromIPC(new Uint8Array(await res.arrayBuffer())).toArray();
  return rows.filter((r) => r.month_offset === 0).reduce((sum, r) => sum + Number(r.retained_customers), 0);
}

/** The same figures by plain SQL over the rows a direct import (timed) writes into a fresh file. */
async function plainFigures(args: string[], tenant: string): Promise<{ figures: Figures; seconds: number }> {
  const out = path.join(tmp.dir, `plain-${Math.random().toString(36).slice(2)}.duckdb`);
  const run = await npmImport([...args, '--tenant', tenant, '--out', out, '--json']);
  expect(run.status, run.stderr).toBe(0);
  const rows = await queryDuckDBFile(
    out,
    `SELECT CAST(year(ordered_at) AS VARCHAR) AS year, CAST(sum(net_amount) AS DOUBLE) AS revenue, count(*) AS orders FROM orders WHERE tenant_id = '${tenant}' GROUP BY 1`,
  );
  return { figures: Object.fromEntries(rows.map((r) => [String(r.year), { revenue: Number(r.revenue), orders: Number(r.orders) }])), seconds: run.seconds };
}

const expectSameFigures = (got: Figures, want: Figures) => {
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  for (const [year, { revenue, orders }] of Object.entries(want)) {
    expect(got[year].orders, year).toBe(orders);
    expect(got[year].revenue, year).toBeCloseTo(revenue, 2);
  }
};

describe('npm run import while the server holds the warehouse', { timeout: 300_000 }, () => {
  it('imports through the server, and the API answers the new rows at once; a re-import replaces them', async () => {
    expect(await boardFigures('cd')).toEqual({});
    expect(await extractMembers('cd')).toBe(0);

    const first = await npmImport(['--format', 'online-retail', '--file', ONLINE_RETAIL, '--tenant', 'cd', '--max-rejected', '4', '--out', served, '--json']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toContain(`importing through the server at ${product.url}`);
    expect(lastJson(first)).toMatchObject({ rows_read: 11, rows_imported: 5, rows_skipped: 2, rows_rejected: 4 });
    const retail = await boardFigures('cd');
    const plainRetail = await plainFigures(['--format', 'online-retail', '--file', ONLINE_RETAIL, '--max-rejected', '4'], 'cd');
    expectSameFigures(retail, plainRetail.figures);
    // 3 members (17850, 17809, 16029) have imported orders.
    expect(await extractMembers('cd')).toBe(3);

    // The board's rollup was built over the first file; the re-import must not be answered from it.
    const second = await npmImport(['--format', 'cdnow', '--file', CDNOW_SAMPLE, '--tenant', 'cd', '--out', served]);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/Imported .* into tenant cd of .* through the server at .* in [\d.]+ s/);
    expect(second.stderr).toMatch(/\d+ %\s+[\d,]+ rows read/);
    expect(second.stderr).toMatch(/predicted CLV cd: 2,357 members/);
    const cdnow = await boardFigures('cd');
    const plainCdnow = await plainFigures(['--format', 'cdnow', '--file', CDNOW_SAMPLE], 'cd');
    expectSameFigures(cdnow, plainCdnow.figures);
    expect(await extractMembers('cd')).toBe(2357);
    expect(cdnow['1997'].orders).toBeGreaterThan(retail['2010']?.orders ?? 0);
    // The other tenants keep their rows.
    expect(Object.keys(await boardFigures('t01')).length).toBeGreaterThan(0);
    // npm run import from start to exit, CLV fit included, through the server and directly.
    console.log(
      `npm run import, Online Retail test file (11 lines): ${first.seconds.toFixed(1)} s through the server, ${plainRetail.seconds.toFixed(1)} s directly; ` +
        `CDNOW sample (6,919 lines): ${second.seconds.toFixed(1)} s through the server, ${plainCdnow.seconds.toFixed(1)} s directly`,
    );
  });

  it('leaves everything as it was when the file is malformed, and keeps serving', async () => {
    const before = await boardFigures('cd');
    const run = await npmImport(['--format', 'cdnow', '--file', path.join(FILES, 'cdnow.txt'), '--tenant', 'cd', '--out', served, '--json']);
    expect(run.status).toBe(1);
    expect(lastJson(run)).toMatchObject({
      error: expect.stringContaining('4 of 11 rows cannot be read'),
      rows_rejected: 4,
      reasons: expect.arrayContaining([{ line: 8, reason: 'date "19970231" is not a date (YYYYMMDD)' }]),
    });
    expect(await boardFigures('cd')).toEqual(before);
    expect((await fetch(`${product.url}/health`)).status).toBe(200);
  });

  it('refuses missing and non-admin tokens, tenants outside the token, unknown formats, and a second import at once', async () => {
    const post = (query: string, token?: string, body = new Blob([readFileSync(CDNOW_SAMPLE)])) =>
      fetch(`${product.url}${IMPORT_ROUTE}?${query}`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream', ...(token ? { Authorization: token } : {}) }, body });
    expect((await post('format=cdnow&tenant=cd')).status).toBe(401);
    const marketer = await post('format=cdnow&tenant=t01', tokenFor({ tenant_id: 't01', role: 'marketer' }));
    expect(marketer.status).toBe(403);
    expect(await marketer.json()).toEqual({ error: 'Only admins may import data.' });
    const otherTenant = await post('format=cdnow&tenant=cd', tokenFor({ tenant_id: 't01', role: 'admin' }));
    expect(otherTenant.status).toBe(403);
    expect((await otherTenant.json()).error).toBe('Your token covers tenant t01 only; it may not import into tenant cd.');
    // Another file than the server's: the operator hears which file it holds, a tenant's admin does not.
    const elsewhere = `format=cdnow&tenant=t01&warehouse=${encodeURIComponent(path.join(tmp.dir, 'other.duckdb'))}`;
    const tenantAdmin = await post(elsewhere, tokenFor({ tenant_id: 't01', role: 'admin' }));
    expect(tenantAdmin.status).toBe(409);
    expect((await tenantAdmin.json()).error).toMatch(/^This server holds another warehouse file, not .*other\.duckdb/);
    const operator = await post(elsewhere, ADMIN_TOKEN());
    expect(operator.status).toBe(409);
    expect((await operator.json()).error).toContain(`holds the warehouse ${served}`);
    const badFormat = await post('format=xlsx&tenant=cd', ADMIN_TOKEN());
    expect(badFormat.status).toBe(400);
    expect((await badFormat.json()).error).toMatch(/^--format must be one of online-retail, cdnow, hillstrom, orders-csv, got "xlsx"/);
    const badTenant = await post(`format=cdnow&tenant=${encodeURIComponent("cd'; DROP TABLE orders")}`, ADMIN_TOKEN());
    expect(badTenant.status).toBe(400);
    expect((await post('format=cdnow&tenant=cd&tenant=t01', ADMIN_TOKEN())).status).toBe(400);
    const tooLarge = await post('format=cdnow&tenant=cd', ADMIN_TOKEN(), new Blob([new Uint8Array(600_000)]));
    expect(tooLarge.status).toBe(413);
    expect((await tooLarge.json()).error).toBe('The file is larger than this server accepts (300,000 bytes, CRM_IMPORT_MAX_BYTES).');
    expect((await post('format=cdnow&tenant=cd', ADMIN_TOKEN(), new Blob([]))).status).toBe(400);
    const csv = await fetch(`${product.url}${IMPORT_ROUTE}?format=cdnow&tenant=cd`, { method: 'POST', headers: { 'Content-Type': 'text/csv', Authorization: ADMIN_TOKEN() }, body: 'x' });
    expect(csv.status).toBe(415);

    const before = await boardFigures('cd');
    const [a, b] = await Promise.all([post('format=cdnow&tenant=cd', ADMIN_TOKEN()), post('format=cdnow&tenant=cd', ADMIN_TOKEN())]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const refused = a.status === 409 ? a : b;
    expect((await refused.json()).error).toMatch(/^An import into tenant cd is running \(started \d+ s ago\); imports run one at a time/);
    const done = a.status === 200 ? a : b;
    expect((await done.text()).trim().split('\n').at(-1)).toContain('"report"');
    expect(await boardFigures('cd')).toEqual(before);
  });
});

describe('after the server stopped', { timeout: 120_000 }, () => {
  it('holds the fit of the imported tenant that the server ran', async () => {
    await product.stop();
    const [fit] = await queryDuckDBFile(served, "SELECT customers, r, alpha FROM clv_fits WHERE tenant_id = 'cd'");
    expect(Number(fit.customers)).toBe(2357);
    const [predictions] = await queryDuckDBFile(served, "SELECT count(*) AS n FROM customer_predictions WHERE tenant_id = 'cd'");
    expect(Number(predictions.n)).toBe(2357);
  });
});
