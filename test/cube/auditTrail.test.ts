import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { hashPassword } from '../../cube/auth/passwords.js';
import type { UserRecord } from '../../cube/auth/users.js';
import { startServer, type RunningServer } from '../../cube/server.js';
import { load, TEST_SECRET, tokenFor } from '../support/apiClient.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { EVENTS_SQL, FIXTURE_MODEL } from './fixtures.js';

/*
 * The audit trail (issue 19, "Also"): every query, sign-in, sign-out, export, chart and token
 * change is recorded in the application database and read by admins of that tenant (all-tenant
 * admins: all), never by the user recorded, never by other roles. Before, GET /api/audit did not
 * exist (404) and nothing was recorded. Fixture `board` view: t01 has 12 customers (9 Kanto,
 * 3 Kinki), t02 has 3 (test/cube/fixtures.ts), all under suppression's minimum of 10 per region.
 */
const tmp = tempDir();
let server: RunningServer;
const marketer = tokenFor({ tenant_id: 't01', role: 'marketer', sub: 'mika' });
const t02Marketer = tokenFor({ tenant_id: 't02', role: 'marketer', sub: 'yui' });
const t01Admin = tokenFor({ tenant_id: 't01', role: 'admin', sub: 'aki' });
const allAdmin = tokenFor({ tenant_id: '*', role: 'admin', sub: 'root' });
const regionQuery = { measures: ['board.customers', 'board.spend'], dimensions: ['board.region'], filters: [{ member: 'board.region', operator: 'set' }] };

const audit = async (token: string, params = '') => {
  const res = await fetch(`${server.url}/api/audit${params}`, { headers: { Authorization: token } });
  return { status: res.status, body: await res.json() };
};
const post = (url: string, token: string, body: unknown) =>
  fetch(`${server.url}${url}`, { method: 'POST', headers: { Authorization: token, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  const warehouse = path.join(tmp.dir, 'w.duckdb');
  await createDuckDBFile(warehouse, EVENTS_SQL);
  const users: UserRecord[] = [{ username: 'mika', role: 'marketer', tenant_id: 't01', password_hash: await hashPassword('correct horse') }];
  server = await startServer({
    warehouse,
    apiSecret: TEST_SECRET,
    port: 0,
    modelPath: FIXTURE_MODEL,
    webDist: null,
    refreshIntervalSeconds: 0,
    users,
    charts: true,
    appDb: path.join(tmp.dir, 'app.sqlite'),
  });
});
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

describe('queries', () => {
  it("record a marketer's query with its members, filters, rows and the figures suppression withheld or blanked", async () => {
    const res = await fetch(`${server.url}/cubejs-api/v1/load?query=${encodeURIComponent(JSON.stringify(regionQuery))}`, { headers: { Authorization: marketer, 'X-Request-Id': 'audit-test-1' } });
    const answer = await res.json();
    expect(res.status).toBe(200);
    // What suppression said in the response, as counts (row index lists become their length).
    expect(answer.suppressed).toBeDefined();
    const suppressed = Object.fromEntries(Object.entries(answer.suppressed).map(([k, v]) => [k, Array.isArray(v) ? v.length : v]));

    const { body } = await audit(t01Admin, '?kind=query&user=mika');
    const event = body.events.find((e: { request_id: string }) => e.request_id === 'audit-test-1');
    expect(event).toMatchObject({
      kind: 'query',
      outcome: 'ok',
      tenant_id: 't01',
      user_id: 'mika',
      role: 'marketer',
      detail: { members: ['board.customers', 'board.spend', 'board.region'], filters: regionQuery.filters, rows: answer.data.length, suppressed: [suppressed] },
    });
    expect(event.detail.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('record refused queries too', async () => {
    const { status } = await load(server.url, { measures: ['people.spend'], dimensions: ['people.email'] }, marketer);
    expect(status).toBe(403);
    const { body } = await audit(t01Admin, '?kind=query&user=mika');
    expect(body.events[0]).toMatchObject({ outcome: 'refused', detail: { members: ['people.spend', 'people.email'], status: 403 } });
  });
});

describe('who reads the trail', () => {
  it("shows a tenant's admin that tenant's events, not another tenant's and not their own", async () => {
    await load(server.url, regionQuery, t02Marketer);
    await load(server.url, regionQuery, t01Admin);
    const seen = (await audit(t01Admin)).body.events;
    expect(new Set(seen.map((e: { tenant_id: string }) => e.tenant_id))).toEqual(new Set(['t01']));
    expect(seen.map((e: { user_id: string }) => e.user_id)).not.toContain('aki');
    expect(seen.map((e: { user_id: string }) => e.user_id)).toContain('mika');

    // The all-tenant admin sees every tenant's, the t01 admin's own query included, but not their own.
    const all = (await audit(allAdmin, '?limit=1000')).body.events.map((e: { user_id: string }) => e.user_id);
    expect(all).toEqual(expect.arrayContaining(['mika', 'yui', 'aki']));
    expect(all).not.toContain('root');
  });

  it('refuses every other role with 403', async () => {
    for (const role of ['marketer', 'crm_manager', 'executive', 'viewer'] as const) {
      expect(await audit(tokenFor({ tenant_id: 't01', role, sub: 'someone' }))).toEqual({ status: 403, body: { error: 'Only admins may read the audit trail.' } });
    }
  });

  it('pages newest first and filters by time, user and kind', async () => {
    const first = (await audit(allAdmin, '?limit=2')).body;
    expect(first.events).toHaveLength(2);
    expect(first.events[0].id).toBeGreaterThan(first.events[1].id);
    const second = (await audit(allAdmin, `?limit=2&before=${first.next}`)).body;
    expect(second.events[0].id).toBeLessThan(first.events[1].id);
    expect((await audit(allAdmin, `?from=${new Date(Date.now() + 60_000).toISOString()}`)).body.events).toEqual([]);
    expect((await audit(allAdmin, '?kind=nope')).status).toBe(400);
    expect((await audit(allAdmin, '?from=yesterday')).status).toBe(400);
  });
});

describe('sign-ins, exports, charts and tokens', () => {
  it('are recorded with who and what', async () => {
    expect((await post('/auth/login', '', { username: 'mika', password: 'wrong' })).status).toBe(401);
    const { token } = await (await post('/auth/login', '', { username: 'mika', password: 'correct horse' })).json();
    expect((await post('/api/audit/export', token, { filename: 'revenue-by-month', rows: 24 })).status).toBe(204);
    expect((await post('/auth/logout', token, {})).status).toBe(200);

    const manager = tokenFor({ tenant_id: 't01', role: 'crm_manager', sub: 'ren' });
    const chart = (await (await post('/api/charts', manager, { title: 'Customers', chartType: 'bar', query: { measures: ['board.customers'] } })).json()).chart;
    const minted = await (await post(`/api/charts/${chart.id}/embed-tokens`, manager, { expiresIn: '1h' })).json();
    await fetch(`${server.url}/api/embed-tokens/${minted.jti}`, { method: 'DELETE', headers: { Authorization: manager } });
    await fetch(`${server.url}/api/charts/${chart.id}`, { method: 'DELETE', headers: { Authorization: manager } });

    const events = (await audit(allAdmin, '?limit=1000')).body.events.filter((e: { kind: string }) => e.kind !== 'query');
    const summary = events
      .map((e: any) => [e.kind, e.outcome, e.tenant_id, e.user_id])
      .slice(0, 8)
      .reverse();
    expect(summary).toEqual([
      ['sign_in', 'failed', null, 'mika'],
      ['sign_in', 'ok', 't01', 'mika'],
      ['export', 'ok', 't01', 'mika'],
      ['sign_out', 'ok', 't01', 'mika'],
      ['chart.create', 'ok', 't01', 'ren'],
      ['embed_token.create', 'ok', 't01', 'ren'],
      ['embed_token.revoke', 'ok', 't01', 'ren'],
      ['chart.delete', 'ok', 't01', 'ren'],
    ]);
    expect(events.find((e: any) => e.kind === 'export').detail).toEqual({ filename: 'revenue-by-month', rows: 24 });
    expect(events.find((e: any) => e.kind === 'embed_token.revoke').detail).toEqual({ jti: minted.jti, chart_id: chart.id, embed_tenant: 't01' });
    // A failed sign-in names no tenant: only all-tenant admins see it.
    expect((await audit(t01Admin, '?kind=sign_in')).body.events.map((e: any) => e.outcome)).toEqual(['ok']);
  });
});

describe('extracts', () => {
  it('are recorded with who, which extract and the answer', async () => {
    const res = await fetch(`${server.url}/api/extracts/cohort-activity`, { headers: { Authorization: marketer, 'X-Request-Id': 'audit-extract-1' } });
    const events = (await audit(t01Admin, '?kind=extract')).body.events;
    expect(events.find((e: { request_id: string }) => e.request_id === 'audit-extract-1')).toMatchObject({
      kind: 'extract',
      tenant_id: 't01',
      user_id: 'mika',
      detail: { status: res.status, extract: 'cohort-activity' },
    });
  });
});

describe('imports', () => {
  it('are recorded with who, into which tenant, and the answer, refused ones included', async () => {
    const res = await fetch(`${server.url}/api/admin/import?format=cdnow&tenant=t02`, {
      method: 'POST',
      headers: { Authorization: t01Admin, 'Content-Type': 'application/octet-stream', 'X-Request-Id': 'audit-import-1' },
      body: 'x',
    });
    expect(res.status).toBe(403);
    const events = (await audit(allAdmin, '?kind=import')).body.events;
    expect(events.find((e: { request_id: string }) => e.request_id === 'audit-import-1')).toMatchObject({
      outcome: 'refused',
      tenant_id: 't01',
      user_id: 'aki',
      role: 'admin',
      detail: { status: 403, into_tenant: 't02', format: 'cdnow', bytes: 1 },
    });
  });
});

describe('cost', () => {
  it('adds little to a /load answered from cache (measured with the trail on and off)', async () => {
    const query = { measures: ['board.customers'], dimensions: ['board.tenant_id'] };
    await load(server.url, query);
    const timeLoads = async (n: number) => {
      const started = performance.now();
      for (let i = 0; i < n; i++) await load(server.url, query);
      return (performance.now() - started) / n;
    };
    // Alternating rounds with the trail on and off, so that the machine's other load falls on both alike.
    const hooks = server.engine.hooks!;
    const answered = hooks.answered;
    let on = 0;
    let off = 0;
    for (let round = 0; round < 5; round++) {
      on += await timeLoads(20);
      hooks.answered = undefined;
      off += await timeLoads(20);
      hooks.answered = answered;
    }
    on /= 5;
    off /= 5;
    console.log(`[audit cost] cached /load: ${off.toFixed(2)} ms without the trail, ${on.toFixed(2)} ms with it (+${(on - off).toFixed(2)} ms)`);
    // The insert itself, measured alone.
    const { AuditTrail } = await import('../../cube/audit/auditTrail.js');
    const { openAppDb } = await import('../../cube/appdb/appDb.js');
    const db = openAppDb(path.join(tmp.dir, 'cost.sqlite'));
    const trail = new AuditTrail(db, () => {});
    const started = performance.now();
    for (let i = 0; i < 1000; i++)
      trail.record({ kind: 'query', outcome: 'ok', tenant_id: 't01', user_id: 'mika', role: 'marketer', request_id: String(i), detail: { members: query.measures, rows: 1 } });
    const perInsert = (performance.now() - started) / 1000;
    console.log(`[audit cost] one insert: ${(perInsert * 1000).toFixed(0)} µs`);
    db.close();
    expect(perInsert).toBeLessThan(1);
  });
});
