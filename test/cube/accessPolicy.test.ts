import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { startServer, type RunningServer } from '../../cube/server.js';
import { hashPassword } from '../../cube/auth/passwords.js';
import type { UserRecord } from '../../cube/auth/users.js';
import { load, loadRows, TEST_SECRET, tokenFor } from '../support/apiClient.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { EVENTS_SQL, FIXTURE_MODEL } from './fixtures.js';

// Roles, personal data and small groups, on the `people` fixture: t01 has 12 customers
// (9 Kanto, 3 Kinki), t02 has 3.
const tmp = tempDir();
let server: RunningServer;
const marketer = tokenFor({ tenant_id: 't01', role: 'marketer' });
const manager = tokenFor({ tenant_id: 't01', role: 'crm_manager' });
const viewer = tokenFor({ tenant_id: 't01', role: 'viewer' });
const admin = tokenFor({ tenant_id: '*', role: 'admin' });

beforeAll(async () => {
  const file = path.join(tmp.dir, 'w.duckdb');
  await createDuckDBFile(file, EVENTS_SQL);
  const users: UserRecord[] = [{ username: 'mika', role: 'marketer', tenant_id: 't01', password_hash: await hashPassword('correct horse') }];
  server = await startServer({ warehouse: file, apiSecret: TEST_SECRET, port: 0, modelPath: FIXTURE_MODEL, webDist: null, refreshIntervalSeconds: 0, users, minGroupSize: 10 });
});
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

describe('personal data', () => {
  it('refuses a non-PII role a PII member in any part of the query', async () => {
    const message = 'people.email is personal data (name, email, phone); the marketer role may not query it.';
    for (const query of [
      { dimensions: ['people.email'] },
      { measures: ['people.customers'], filters: [{ member: 'people.email', operator: 'contains', values: ['@'] }] },
      {
        measures: ['people.customers'],
        filters: [
          {
            or: [
              { member: 'people.region', operator: 'set' },
              { member: 'people.email', operator: 'set' },
            ],
          },
        ],
      },
      { measures: ['people.customers'], dimensions: ['people.region'], order: { 'people.email': 'asc' } },
    ]) {
      expect(await load(server.url, query, marketer)).toEqual({ status: 403, body: { error: message } });
    }
  });

  it('lets a crm_manager see personal data of their tenant only', async () => {
    const rows = await loadRows(server.url, { dimensions: ['people.customer_id', 'people.email'], order: { 'people.customer_id': 'asc' } }, manager);
    expect(rows).toHaveLength(12);
    expect(rows[0]).toEqual({ 'people.customer_id': '1', 'people.email': 'person1@example.jp' });
  });

  it('hides PII members from /meta for roles without access', async () => {
    const dims = async (token: string) => {
      const body = await (await fetch(`${server.url}/cubejs-api/v1/meta`, { headers: { Authorization: token } })).json();
      return body.cubes.find((c: any) => c.name === 'people').dimensions.map((d: any) => d.name);
    };
    expect(await dims(marketer)).toEqual(['people.customer_id', 'people.tenant_id', 'people.region']);
    expect(await dims(manager)).toEqual(['people.customer_id', 'people.tenant_id', 'people.name', 'people.email', 'people.region']);
  });
});

describe('board-only role', () => {
  it('lets a viewer query the board and nothing else', async () => {
    // 12, with the sticky noise a viewer's figures carry: a whole count moves by at most 2 (stickyNoise.ts).
    const [row] = await loadRows(server.url, { measures: ['board.customers'] }, viewer);
    expect(Math.abs(Number(row['board.customers']) - 12)).toBeLessThanOrEqual(2);
    expect(await load(server.url, { measures: ['events.count'] }, viewer)).toEqual({ status: 403, body: { error: 'The viewer role sees the board only; "events" is not part of it.' } });
    const body = await (await fetch(`${server.url}/cubejs-api/v1/meta`, { headers: { Authorization: viewer } })).json();
    expect(body.cubes.map((c: any) => c.name)).toEqual(['board']);
  });
});

describe('small-group suppression (minimum 10 customers)', () => {
  it('blanks cells describing fewer than 10 customers for roles without PII', async () => {
    // t01: Kanto 9 customers (suppressed), Kinki 3 (suppressed); by tenant alone: 12 (shown).
    const { body } = await load(server.url, { measures: ['people.spend'], dimensions: ['people.region'], order: { 'people.region': 'asc' } }, marketer);
    expect(body.data).toEqual([
      { 'people.region': 'Kanto', 'people.spend': null },
      { 'people.region': 'Kinki', 'people.spend': null },
    ]);
    expect(body.suppressed).toEqual({ minGroupSize: 10, rows: [0, 1], withheld: 0 });
    expect(body.query.measures).toEqual(['people.spend']);
    const total = await load(server.url, { measures: ['people.spend'] }, marketer);
    // 12 x 1,000 yen, with sticky noise: a whole sum under 100,000 moves by at most 2.
    expect(Math.abs(Number(total.body.data[0]['people.spend']) - 12_000)).toBeLessThanOrEqual(2);
    expect(total.body.suppressed).toBeUndefined();
  });

  it('suppresses through a view too, and keeps requested counts', async () => {
    const { body } = await load(
      server.url,
      { measures: ['board.customers', 'board.spend'], dimensions: ['board.region'], order: { 'board.region': 'asc' } },
      tokenFor({ tenant_id: '*', role: 'executive' }),
    );
    expect(body.error).toBe('Only admin tokens may span all tenants.');
    const scoped = await load(
      server.url,
      { measures: ['board.customers', 'board.spend'], dimensions: ['board.tenant_id'], order: { 'board.tenant_id': 'asc' } },
      tokenFor({ tenant_id: 't02', role: 'executive' }),
    );
    expect(scoped.body.data).toEqual([{ 'board.tenant_id': 't02', 'board.customers': null, 'board.spend': null }]);
  });

  it('refuses a customer list shorter than the minimum, and serves a longer one', async () => {
    const list = { dimensions: ['people.customer_id', 'people.region'], order: { 'people.customer_id': 'asc' as const } };
    const small = await load(server.url, list, tokenFor({ tenant_id: 't02', role: 'marketer' }));
    expect(small.body.data).toEqual([]);
    expect(small.body.suppressed).toEqual({ minGroupSize: 10, rows: 'all', withheld: 3 });
    expect((await loadRows(server.url, list, marketer)).length).toBe(12);
  });

  it('shows everything to roles allowed personal data', async () => {
    const rows = await loadRows(server.url, { measures: ['people.spend'], dimensions: ['people.tenant_id'], order: { 'people.tenant_id': 'asc' } }, admin);
    expect(rows).toEqual([
      { 'people.tenant_id': 't01', 'people.spend': '12000' },
      { 'people.tenant_id': 't02', 'people.spend': '1500' },
    ]);
  });
});

describe('login', () => {
  const login = (body: unknown) => fetch(`${server.url}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('returns a session token for the right password', async () => {
    const res = await login({ username: 'mika', password: 'correct horse' });
    expect(res.status).toBe(200);
    const session = await res.json();
    expect(session.identity).toEqual({ tenant_id: 't01', role: 'marketer', sub: 'mika' });
    // The token works: t01's 12 customers, with a marketer's sticky noise (a whole count moves by at most 2).
    const [row] = await loadRows(server.url, { measures: ['people.customers'] }, session.token);
    expect(Math.abs(Number(row['people.customers']) - 12)).toBeLessThanOrEqual(2);
  });

  it('refuses a wrong password, then throttles repeated failures', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await login({ username: 'mika', password: `guess ${i}` })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const blocked = await login({ username: 'mika', password: 'correct horse' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(800);
  });

  it('answers a malformed login with 400', async () => {
    expect((await login({ user: 'mika' })).status).toBe(400);
  });
});
