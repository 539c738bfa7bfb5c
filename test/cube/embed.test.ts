import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { startServer, type RunningServer } from '../../cube/server.js';
import { ChartStore } from '../../cube/embed/chartStore.js';
import { openAppDb } from '../../cube/appdb/appDb.js';
import { signEmbedToken } from '../../cube/embed/embedTokens.js';
import { load, TEST_SECRET, tokenFor } from '../support/apiClient.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { EVENTS_SQL, FIXTURE_MODEL } from './fixtures.js';

// Saved charts and embed tokens, on the fixture's `board` view (t01: 12 customers, 9 Kanto + 3 Kinki).
const tmp = tempDir();
let server: RunningServer;
const PORTAL = 'https://portal.example.co.jp';
const admin = tokenFor({ tenant_id: '*', role: 'admin' });
const manager = tokenFor({ tenant_id: 't01', role: 'crm_manager' });
const chartQuery = { measures: ['board.customers', 'board.spend'], dimensions: ['board.tenant_id'] };

const post = (url: string, token: string, body: unknown) =>
  fetch(`${server.url}${url}`, { method: 'POST', headers: { Authorization: token, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const embedData = (chartId: string, token: string, origin?: string) =>
  fetch(`${server.url}/api/embed/${chartId}/data`, { headers: { Authorization: `Bearer ${token}`, ...(origin ? { Origin: origin } : {}) } });

/** Saves a chart; an admin's chart is saved for t01 unless another tenant (or none) is given. */
async function saveChart(token = admin, query: object = chartQuery, tenant_id: string | undefined = token === admin ? 't01' : undefined) {
  const res = await post('/api/charts', token, { title: 'Customers by tenant', chartType: 'bar', query, ...(tenant_id ? { tenant_id } : {}) });
  return { status: res.status, body: await res.json() };
}
const get = (url: string, token: string) => fetch(`${server.url}${url}`, { headers: { Authorization: token } });

beforeAll(async () => {
  const file = path.join(tmp.dir, 'w.duckdb');
  await createDuckDBFile(file, EVENTS_SQL);
  server = await startServer({
    warehouse: file,
    apiSecret: TEST_SECRET,
    port: 0,
    modelPath: FIXTURE_MODEL,
    webDist: null,
    refreshIntervalSeconds: 0,
    charts: true,
    embedOrigins: [PORTAL],
  });
});
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

describe('saving charts', () => {
  it('lets admins and crm managers save a chart', async () => {
    const { status, body } = await saveChart(manager);
    expect(status).toBe(201);
    expect(body.chart).toMatchObject({ title: 'Customers by tenant', chartType: 'bar', query: chartQuery, tenant_id: 't01', createdBy: 'crm_manager' });
  });

  it('refuses other roles, bad chart types and queries that do not run', async () => {
    expect((await saveChart(tokenFor({ tenant_id: 't01', role: 'marketer' }))).status).toBe(403);
    expect((await post('/api/charts', admin, { title: 'x', chartType: 'pie3d', query: chartQuery })).status).toBe(400);
    expect(await saveChart(admin, { measures: ['board.nope'] })).toEqual({ status: 400, body: { error: 'Unknown member "board.nope": query the views and members that /meta lists.' } });
  });
});

describe('embed tokens', () => {
  it('run their chart for their tenant only, with small groups suppressed', async () => {
    const { body } = await saveChart();
    const minted = await (await post(`/api/charts/${body.chart.id}/embed-tokens`, admin, { tenant_id: 't01', expiresIn: '1h' })).json();
    expect(minted.embedUrl).toBe(`/embed/${body.chart.id}?token=${minted.token}`);
    const res = await embedData(body.chart.id, minted.token);
    expect(res.status).toBe(200);
    const data = await res.json();
    expect(data.chart).toEqual({ id: body.chart.id, title: 'Customers by tenant', chartType: 'bar' });
    // 12 customers x 1000 yen, t01 only, with the sticky noise an embed's figures carry: whole figures move by at most 2.
    expect(data.result.data).toEqual([{ 'board.tenant_id': 't01', 'board.customers': expect.any(String), 'board.spend': expect.any(String) }]);
    expect(Math.abs(Number(data.result.data[0]['board.customers']) - 12)).toBeLessThanOrEqual(2);
    expect(Math.abs(Number(data.result.data[0]['board.spend']) - 12_000)).toBeLessThanOrEqual(2);

    const t02Chart = (await saveChart(admin, chartQuery, 't02')).body.chart;
    const t02 = await (await post(`/api/charts/${t02Chart.id}/embed-tokens`, admin, { tenant_id: 't02' })).json();
    // t02 has 3 customers: below the minimum group of 10.
    expect((await (await embedData(t02Chart.id, t02.token)).json()).result.data).toEqual([{ 'board.tenant_id': 't02', 'board.customers': null, 'board.spend': null }]);
  });

  it('add fixed filters the page cannot remove', async () => {
    const { body } = await saveChart(admin, { measures: ['board.spend'], dimensions: ['board.region'] });
    const minted = await (await post(`/api/charts/${body.chart.id}/embed-tokens`, admin, { tenant_id: 't01', filters: [{ member: 'board.region', operator: 'equals', values: ['Kanto'] }] })).json();
    // Kanto has 9 customers in t01: suppressed, and Kinki is filtered out entirely.
    expect((await (await embedData(body.chart.id, minted.token)).json()).result.data).toEqual([{ 'board.region': 'Kanto', 'board.spend': null }]);
  });

  it('open nothing but their own chart', async () => {
    const a = (await saveChart()).body.chart.id;
    const b = (await saveChart()).body.chart.id;
    const { token } = await (await post(`/api/charts/${a}/embed-tokens`, admin, { tenant_id: 't01' })).json();
    expect(await (await embedData(b, token)).json()).toEqual({ error: 'This embed token is for another chart.' });
    expect((await load(server.url, { measures: ['board.spend'] }, token)).status).toBe(403);
    expect((await fetch(`${server.url}/api/charts`, { headers: { Authorization: token } })).status).toBe(403);
  });

  it('expire, and refuse forgeries', async () => {
    const id = (await saveChart()).body.chart.id;
    const expired = signEmbedToken(TEST_SECRET, { chart_id: id, tenant_id: 't01', filters: [] }, -5);
    expect((await embedData(id, expired)).status).toBe(401);
    const forged = signEmbedToken('not-the-secret-not-the-secret-not-the', { chart_id: id, tenant_id: 't01', filters: [] }, 60);
    expect((await embedData(id, forged)).status).toBe(403);
    const apiToken = tokenFor({ tenant_id: 't01', role: 'admin' });
    expect((await embedData(id, apiToken)).status).toBe(403);
    // A token with its payload swapped keeps the old signature, which no longer matches.
    const good = signEmbedToken(TEST_SECRET, { chart_id: id, tenant_id: 't01', filters: [] }, 60);
    const [head, , sig] = good.split('.');
    const widened = Buffer.from(JSON.stringify({ chart_id: id, tenant_id: 't02', filters: [], aud: 'crm-embed' })).toString('base64url');
    expect((await embedData(id, `${head}.${widened}.${sig}`)).status).toBe(403);
    expect((await embedData(id, 'not-a-jwt')).status).toBe(401);
    // Well signed but valid until the year 3000: refused, as for API tokens (embeds live 30 days at most).
    const forever = jwt.sign({ chart_id: id, tenant_id: 't01', filters: [], exp: 32503680000 }, TEST_SECRET, { algorithm: 'HS256', audience: 'crm-embed' });
    expect(await (await embedData(id, forever)).json()).toEqual({ error: 'Embed token lives longer than 30 days (exp 3000-01-01T00:00:00.000Z).' });
  });

  it('are minted by crm managers for their own tenant only', async () => {
    const id = (await saveChart()).body.chart.id;
    expect((await post(`/api/charts/${id}/embed-tokens`, manager, { tenant_id: 't02' })).status).toBe(403);
    expect((await post(`/api/charts/${id}/embed-tokens`, manager, {})).status).toBe(201);
    expect((await post(`/api/charts/${id}/embed-tokens`, tokenFor({ tenant_id: 't02', role: 'crm_manager' }), {})).status).toBe(404);
    expect((await post(`/api/charts/${id}/embed-tokens`, admin, { tenant_id: '*' })).status).toBe(400);
    expect((await post(`/api/charts/${id}/embed-tokens`, admin, { tenant_id: 't01', expiresIn: '90d' })).status).toBe(400);
  });

  it('answer CORS for configured portal origins only', async () => {
    const id = (await saveChart()).body.chart.id;
    const { token } = await (await post(`/api/charts/${id}/embed-tokens`, admin, { tenant_id: 't01' })).json();
    expect((await embedData(id, token, PORTAL)).headers.get('access-control-allow-origin')).toBe(PORTAL);
    expect((await embedData(id, token, 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('saved charts belong to a tenant', () => {
  // t02's chart names one of its customers by email in a filter: nothing of it may reach t01.
  const t02Query = { measures: ['board.spend'], dimensions: ['board.region'], filters: [{ member: 'board.region', operator: 'notEquals', values: ['person14@example.jp'] }] };
  const t02Manager = tokenFor({ tenant_id: 't02', role: 'crm_manager' });

  it('a t01 crm_manager cannot list, read or embed a t02 chart: it answers as an unknown id does', async () => {
    const saved = await post('/api/charts', t02Manager, { title: 'VIP person14@example.jp', chartType: 'table', query: t02Query });
    expect(saved.status).toBe(201);
    const t02Chart = (await saved.json()).chart;
    expect(t02Chart.tenant_id).toBe('t02');
    const byAdmin = (await saveChart(admin, t02Query, 't02')).body.chart;
    expect(byAdmin.tenant_id).toBe('t02');

    const listed = await (await get('/api/charts', manager)).json();
    expect(listed.charts.length).toBeGreaterThan(0);
    expect(listed.charts.filter((c: { tenant_id: string }) => c.tenant_id !== 't01')).toEqual([]);
    expect(JSON.stringify(listed)).not.toContain('person14@example.jp');

    for (const id of [t02Chart.id, byAdmin.id]) {
      expect(await (await get(`/api/charts/${id}`, manager)).json()).toEqual({ error: `No saved chart "${id}".` });
      const minted = await post(`/api/charts/${id}/embed-tokens`, manager, {});
      expect({ status: minted.status, body: await minted.json() }).toEqual({ status: 404, body: { error: `No saved chart "${id}".` } });
      const asT02 = await post(`/api/charts/${id}/embed-tokens`, manager, { tenant_id: 't02' });
      expect(asT02.status).toBe(404);
    }
    // The same answer as for a chart that does not exist.
    expect(await (await get('/api/charts/nope', manager)).json()).toEqual({ error: 'No saved chart "nope".' });
    expect((await get('/api/charts/nope', manager)).status).toBe(404);

    // t02's own manager and the admin do see it.
    expect((await get(`/api/charts/${t02Chart.id}`, t02Manager)).status).toBe(200);
    expect((await (await get('/api/charts', t02Manager)).json()).charts.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([t02Chart.id, byAdmin.id]));
    expect((await (await get('/api/charts', admin)).json()).charts.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([t02Chart.id, byAdmin.id]));
  });

  it('a crm_manager cannot save a chart for another tenant', async () => {
    const res = await post('/api/charts', manager, { title: 'x', chartType: 'bar', query: chartQuery, tenant_id: 't02' });
    expect({ status: res.status, body: await res.json() }).toEqual({ status: 403, body: { error: 'You may save charts for tenant t01 only.' } });
  });

  it("an embed is for the chart's own tenant only, even when an admin mints it", async () => {
    const t01Chart = (await saveChart(admin, chartQuery, 't01')).body.chart;
    const res = await post(`/api/charts/${t01Chart.id}/embed-tokens`, admin, { tenant_id: 't02' });
    expect({ status: res.status, body: await res.json() }).toEqual({ status: 403, body: { error: 'This chart belongs to tenant t01: its embeds are for that tenant only.' } });
    // Without tenant_id the embed is for the chart's tenant.
    const minted = await (await post(`/api/charts/${t01Chart.id}/embed-tokens`, admin, {})).json();
    // t01's row (its figures carry sticky noise, see the first embed test).
    expect((await (await embedData(t01Chart.id, minted.token)).json()).result.data.map((r: Record<string, unknown>) => r['board.tenant_id'])).toEqual(['t01']);
    // A t02 embed token for the t01 chart minted before this rule (signed directly here) is refused.
    const old = signEmbedToken(TEST_SECRET, { chart_id: t01Chart.id, tenant_id: 't02', filters: [] }, 3600);
    const refused = await embedData(t01Chart.id, old);
    expect({ status: refused.status, body: await refused.json() }).toEqual({ status: 403, body: { error: "This embed token's tenant is not the chart's tenant: mint a new embed token." } });
  });

  it("an admin's chart saved without a tenant is admin-only and cannot be embedded", async () => {
    const chart = (await saveChart(admin, chartQuery, '')).body.chart; // '': no tenant_id in the body
    expect(chart.tenant_id).toBe('*');
    expect((await get(`/api/charts/${chart.id}`, manager)).status).toBe(404);
    expect((await get(`/api/charts/${chart.id}`, admin)).status).toBe(200);
    const res = await post(`/api/charts/${chart.id}/embed-tokens`, admin, { tenant_id: 't01' });
    expect({ status: res.status, body: await res.json() }).toEqual({
      status: 400,
      body: { error: 'This chart is admin-only (saved without a tenant), so it cannot be embedded: save it again with "tenant_id".' },
    });
  });

  it('charts from a file written before charts had tenants are imported once, admin-only', async () => {
    const file = path.join(tmp.dir, 'old-charts.json');
    const old = { id: 'legacy1', title: 'Old', chartType: 'bar', query: chartQuery, createdBy: 'admin', createdAt: '2025-01-01T00:00:00.000Z' };
    writeFileSync(file, JSON.stringify([old]));
    const db = openAppDb(path.join(tmp.dir, 'app.sqlite'));
    const store = new ChartStore(db);
    expect(store.importFileOnce(file)).toBe(1);
    // Imported once: a chart deleted afterwards does not come back at the next start.
    expect(store.importFileOnce(file)).toBe(0);
    expect(store.get('legacy1')).toEqual({ ...old, tenant_id: '*' });
    expect(store.listFor('t01')).toEqual([]);
    expect(store.getFor('legacy1', 't01')).toBeUndefined();
    expect(store.listFor('*').map((c) => c.id)).toEqual(['legacy1']);
    db.close();
  });
});
