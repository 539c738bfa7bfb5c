import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { hashPassword } from '../../cube/auth/passwords.js';
import { startServer, type RunningServer } from '../../cube/server.js';
import { load, tokenFor } from '../support/apiClient.js';
import { TEST_SECRET } from '../support/apiClient.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { productFilesIn, startProduct, type RunningProduct } from '../support/product.js';
import { EVENTS_SQL, FIXTURE_MODEL } from './fixtures.js';

/*
 * Issue 19, item 15: a token worked for 8 h after sign-out, charts could not be deleted and
 * embed tokens (up to 30 days) could not be revoked. Before the fix /auth/logout, DELETE
 * /api/charts/:id and /api/embed-tokens did not exist (404), and every token below kept working.
 * The fixture's `board` view: t01 has 12 customers x 1000 yen (test/cube/fixtures.ts).
 */
const tmp = tempDir();
const appDb = path.join(tmp.dir, 'app.sqlite');
let server: RunningServer;
const PASSWORD = 'correct horse';
const boardQuery = { measures: ['board.customers', 'board.spend'], dimensions: ['board.tenant_id'] };
const manager = tokenFor({ tenant_id: 't01', role: 'crm_manager', sub: 'ren' });
const otherManager = tokenFor({ tenant_id: 't02', role: 'crm_manager', sub: 'sora' });

async function signIn(baseUrl: string, username: string): Promise<string> {
  const res = await fetch(`${baseUrl}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  expect(res.status).toBe(200);
  return (await res.json()).token;
}
const call = (method: string, url: string, token: string, body?: unknown) =>
  fetch(`${server.url}${url}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
const answer = async (res: Response) => ({ status: res.status, body: res.status === 204 ? null : await res.json() });

beforeAll(async () => {
  const warehouse = path.join(tmp.dir, 'w.duckdb');
  await createDuckDBFile(warehouse, EVENTS_SQL);
  const users = [
    { username: 'mika', role: 'marketer' as const, tenant_id: 't01', password_hash: await hashPassword(PASSWORD) },
    { username: 'ren', role: 'crm_manager' as const, tenant_id: 't01', password_hash: await hashPassword(PASSWORD) },
  ];
  writeFileSync(path.join(tmp.dir, 'users.json'), JSON.stringify(users));
  server = await startServer({ warehouse, apiSecret: TEST_SECRET, port: 0, modelPath: FIXTURE_MODEL, webDist: null, refreshIntervalSeconds: 0, users, charts: true, appDb });
});
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

describe('signing out', () => {
  it('refuses the signed-out token with 401 on every route that takes a token', async () => {
    const token = await signIn(server.url, 'mika');
    expect((await load(server.url, boardQuery, token)).status).toBe(200);
    expect(await answer(await call('POST', '/auth/logout', token))).toEqual({ status: 200, body: { signedOut: true } });

    const loadAfter = await load(server.url, boardQuery, token);
    expect(loadAfter.status).toBe(401);
    expect(loadAfter.body.error).toMatch(/^This token was revoked at .+ \(signed out\): sign in again\.$/);
    for (const [method, url] of [
      ['GET', '/cubejs-api/v1/meta'],
      ['POST', '/cubejs-api/v1/sql'],
      ['GET', '/api/charts'],
      ['GET', '/api/extracts/cohort-activity'],
      ['GET', '/api/audit'],
      ['POST', '/auth/logout'],
    ]) {
      expect([url, (await call(method, url, token, method === 'POST' ? { query: boardQuery } : undefined)).status]).toEqual([url, 401]);
    }
    // Another session of the same user is untouched.
    expect((await load(server.url, boardQuery, await signIn(server.url, 'mika'))).status).toBe(200);
  });

  it('refuses a chart editor signed out on the chart routes too', async () => {
    const token = await signIn(server.url, 'ren');
    expect((await call('GET', '/api/charts', token)).status).toBe(200);
    await call('POST', '/auth/logout', token);
    expect((await call('GET', '/api/charts', token)).status).toBe(401);
    expect((await call('POST', '/api/charts', token, { title: 'x', chartType: 'bar', query: boardQuery })).status).toBe(401);
  });

  it('revokes tokens signed before tokens had an id (npm run token, up to 30 days)', async () => {
    const { default: jwt } = await import('jsonwebtoken');
    const old = jwt.sign({ tenant_id: 't01', role: 'marketer' }, TEST_SECRET, { algorithm: 'HS256', audience: 'crm-api', expiresIn: '7d' });
    expect((await load(server.url, boardQuery, old)).status).toBe(200);
    await call('POST', '/auth/logout', old);
    expect((await load(server.url, boardQuery, old)).status).toBe(401);
  });
});

describe('saved charts', () => {
  it('can be deleted by a chart editor of their tenant; another tenant gets 404 and the chart stays', async () => {
    const saved = await answer(await call('POST', '/api/charts', manager, { title: 'Customers', chartType: 'bar', query: boardQuery }));
    expect(saved.status).toBe(201);
    const id = saved.body.chart.id;
    expect(await answer(await call('DELETE', `/api/charts/${id}`, otherManager))).toEqual({ status: 404, body: { error: `No saved chart "${id}".` } });
    expect((await call('DELETE', `/api/charts/${id}`, tokenFor({ tenant_id: 't01', role: 'marketer' }))).status).toBe(403);
    expect((await call('GET', `/api/charts/${id}`, manager)).status).toBe(200);
    expect((await call('DELETE', `/api/charts/${id}`, manager)).status).toBe(204);
    expect((await call('GET', `/api/charts/${id}`, manager)).status).toBe(404);
    expect((await call('DELETE', `/api/charts/${id}`, manager)).status).toBe(404);
  });
});

describe('embed tokens', () => {
  async function mintEmbed(): Promise<{ chartId: string; jti: string; token: string }> {
    const chartId = (await answer(await call('POST', '/api/charts', manager, { title: 'Customers', chartType: 'bar', query: boardQuery }))).body.chart.id;
    const minted = await answer(await call('POST', `/api/charts/${chartId}/embed-tokens`, manager, { expiresIn: '30d' }));
    expect(minted.status).toBe(201);
    return { chartId, jti: minted.body.jti, token: minted.body.token };
  }
  const embedData = (chartId: string, token: string) => fetch(`${server.url}/api/embed/${chartId}/data`, { headers: { Authorization: `Bearer ${token}` } });

  it('are listed for their tenant (who, chart, expiry; never the token) and revoked at once', async () => {
    const { chartId, jti, token } = await mintEmbed();
    expect((await embedData(chartId, token)).status).toBe(200);

    const listed = (await answer(await call('GET', '/api/embed-tokens', manager))).body.embedTokens;
    const mine = listed.find((t: { jti: string }) => t.jti === jti);
    expect(mine).toMatchObject({ jti, chart_id: chartId, tenant_id: 't01', filters: [], createdBy: 'ren', revokedAt: null });
    // 30 days from now, to the minute.
    expect(Math.abs(Date.parse(mine.expiresAt) - (Date.now() + 30 * 86_400_000))).toBeLessThan(60_000);
    expect(JSON.stringify(listed)).not.toContain(token);
    // Another tenant's editor neither sees nor revokes it; a marketer may not list.
    expect((await answer(await call('GET', '/api/embed-tokens', otherManager))).body.embedTokens.map((t: { jti: string }) => t.jti)).not.toContain(jti);
    expect((await call('DELETE', `/api/embed-tokens/${jti}`, otherManager)).status).toBe(404);
    expect((await call('GET', '/api/embed-tokens', tokenFor({ tenant_id: 't01', role: 'marketer' }))).status).toBe(403);
    expect((await embedData(chartId, token)).status).toBe(200);

    expect((await call('DELETE', `/api/embed-tokens/${jti}`, manager)).status).toBe(204);
    const refused = await embedData(chartId, token);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error).toMatch(/^This embed token was revoked at .+: ask the chart's owner for a new embed URL\.$/);
    expect((await answer(await call('GET', '/api/embed-tokens', manager))).body.embedTokens.find((t: { jti: string }) => t.jti === jti)).toMatchObject({ revokedBy: 'ren' });
  });

  it('stop when their chart is deleted', async () => {
    const { chartId, token } = await mintEmbed();
    await call('DELETE', `/api/charts/${chartId}`, manager);
    expect((await embedData(chartId, token)).status).toBe(404);
  });
});

describe('a second server process on the same application database', () => {
  let other: RunningProduct;
  beforeAll(async () => {
    // Its own warehouse file (DuckDB lets one process write a file), the same app database.
    const dir = path.join(tmp.dir, 'second');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    const warehouse = path.join(dir, 'w.duckdb');
    await createDuckDBFile(warehouse, EVENTS_SQL);
    other = await startProduct({ ...productFilesIn(dir), CRM_WAREHOUSE: warehouse, CRM_MODEL_PATH: FIXTURE_MODEL, CRM_WEB: 'off', CRM_APP_DB: appDb });
  });
  afterAll(async () => {
    await other?.stop();
  });

  it('refuses a token signed out on the first, and sees its charts and revoked embeds', async () => {
    const token = await signIn(server.url, 'mika');
    expect((await load(other.url, boardQuery, token)).status).toBe(200);
    await call('POST', '/auth/logout', token);
    expect((await load(other.url, boardQuery, token)).status).toBe(401);

    const chartId = (await answer(await call('POST', '/api/charts', manager, { title: 'Shared', chartType: 'bar', query: boardQuery }))).body.chart.id;
    const minted = (await answer(await call('POST', `/api/charts/${chartId}/embed-tokens`, manager, {}))).body;
    const data = () => fetch(`${other.url}/api/embed/${chartId}/data`, { headers: { Authorization: `Bearer ${minted.token}` } });
    expect((await data()).status).toBe(200);
    await call('DELETE', `/api/embed-tokens/${minted.jti}`, manager);
    expect((await data()).status).toBe(401);
  });
});
