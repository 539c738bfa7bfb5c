import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { startServer, StartupError, type RunningServer } from '../../cube/server.js';
import { signApiToken } from '../../cube/auth/tokens.js';
import { ADMIN_TOKEN, load, TEST_SECRET, tokenFor } from '../support/apiClient.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { EVENTS_SQL, FIXTURE_MODEL } from './fixtures.js';

// The server's contract for bad input: clear errors, and it keeps serving what it can.
const tmp = tempDir();
const warehouse = path.join(tmp.dir, 'events.duckdb');
let server: RunningServer;
const revenueQuery = { measures: ['events.total'] };

beforeAll(async () => {
  await createDuckDBFile(warehouse, EVENTS_SQL);
  server = await startServer({ warehouse, apiSecret: TEST_SECRET, port: 0, modelPath: FIXTURE_MODEL, webDist: null, refreshIntervalSeconds: 0 });
});
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

describe('tokens', () => {
  it('answers /health without a token', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', warehouse: 'duckdb' });
  });

  it('refuses a missing token with 401', async () => {
    expect(await load(server.url, revenueQuery, '')).toEqual({ status: 401, body: { error: 'Missing API token: send it in the Authorization header.' } });
    const meta = await fetch(`${server.url}/cubejs-api/v1/meta`);
    expect(meta.status).toBe(401);
  });

  it('refuses an expired token with 401', async () => {
    const expired = signApiToken(TEST_SECRET, { tenant_id: '*', role: 'admin' }, -10);
    const { status, body } = await load(server.url, revenueQuery, expired);
    expect(status).toBe(401);
    expect(body.error).toMatch(/^API token expired at /);
  });

  it('refuses a token signed with another secret, or tampered with, with 403', async () => {
    const forged = signApiToken('another-secret-another-secret-another', { tenant_id: '*', role: 'admin' });
    expect((await load(server.url, revenueQuery, forged)).status).toBe(403);
    const [header, , signature] = tokenFor({ tenant_id: 't01', role: 'marketer' }).split('.');
    const widened = Buffer.from(JSON.stringify({ tenant_id: '*', role: 'admin', aud: 'crm-api', exp: 9999999999 })).toString('base64url');
    expect(await load(server.url, revenueQuery, `${header}.${widened}.${signature}`)).toEqual({ status: 403, body: { error: 'API token rejected: invalid signature.' } });
  });

  it('refuses a token with an unknown role', async () => {
    const token = signApiToken(TEST_SECRET, { tenant_id: 't01', role: 'root' as any });
    expect(await load(server.url, revenueQuery, token)).toEqual({ status: 403, body: { error: 'API token has an unknown role: root.' } });
  });

  it('scopes a tenant token to its tenant', async () => {
    // t01 owns events 1-3: 100.25 + 200 + 50.50 = 350.75. (A role with personal data: a marketer's figures carry sticky noise.)
    const { body } = await load(server.url, revenueQuery, tokenFor({ tenant_id: 't01', role: 'crm_manager' }));
    expect(body.data).toEqual([{ 'events.total': '350.75' }]);
    // A filter asking for the other tenant cannot widen the scope.
    const widened = await load(
      server.url,
      {
        ...revenueQuery,
        filters: [
          {
            or: [
              { member: 'events.tenant_id', operator: 'equals', values: ['t02'] },
              { member: 'events.tenant_id', operator: 'set' },
            ],
          },
        ],
      },
      tokenFor({ tenant_id: 't01', role: 'crm_manager' }),
    );
    expect(widened.body.data).toEqual([{ 'events.total': '350.75' }]);
  });

  describe('refuses tokens that never expire, live too long or come from the future', () => {
    // Well signed, right audience: only the times are wrong.
    const now = Math.floor(Date.now() / 1000);
    const signed = (claims: object, options: jwt.SignOptions = {}) => jwt.sign({ tenant_id: '*', role: 'admin', ...claims }, TEST_SECRET, { algorithm: 'HS256', audience: 'crm-api', ...options });

    it.each([
      ['without exp', signed({}), 'API token has no expiry (exp): every token must expire.'],
      ['without iat', signed({ exp: now + 600 }, { noTimestamp: true }), 'API token has no issue time (iat).'],
      ['expiring in the year 3000', signed({ exp: 32503680000 }), 'API token lives longer than 30 days (exp 3000-01-01T00:00:00.000Z).'],
      ['living 31 days', signed({ iat: now, exp: now + 31 * 86400 }), `API token lives longer than 30 days (exp ${new Date((now + 31 * 86400) * 1000).toISOString()}).`],
      ['issued an hour from now', signed({ iat: now + 3600, exp: now + 7200 }), `API token was issued in the future (iat ${new Date((now + 3600) * 1000).toISOString()}).`],
    ])('a token %s gets 403', async (_name, token, error) => {
      expect(await load(server.url, revenueQuery, token)).toEqual({ status: 403, body: { error } });
    });

    it('accepts 30 days, and an iat a few seconds ahead (clock skew)', async () => {
      expect((await load(server.url, revenueQuery, signed({ iat: now, exp: now + 30 * 86400 }))).status).toBe(200);
      expect((await load(server.url, revenueQuery, signed({ iat: now + 30, exp: now + 600 }))).status).toBe(200);
    });
  });
});

describe('the demo token', () => {
  const demoStatus = (url: string, headers: http.OutgoingHttpHeaders = {}, method = 'GET') =>
    new Promise<number>((resolve, reject) => {
      http
        .request(`${url}/auth/demo-token`, { method, headers }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        })
        .on('error', reject)
        .end();
    });

  it('is off unless the server is given a demo identity (CRM_DEMO_TOKEN=on)', async () => {
    const res = await fetch(`${server.url}/auth/demo-token`);
    expect({ status: res.status, body: await res.json() }).toEqual({
      status: 404,
      body: { error: 'The demo token is off: it is only handed out to direct loopback clients of a server started with CRM_DEMO_TOKEN=on.' },
    });
    expect(await demoStatus(server.url, {}, 'HEAD')).toBe(404);
  });

  it('when on, is handed to direct loopback clients only', async () => {
    const demo = await startServer({
      warehouse,
      apiSecret: TEST_SECRET,
      port: 0,
      modelPath: FIXTURE_MODEL,
      webDist: null,
      refreshIntervalSeconds: 0,
      demoIdentity: { tenant_id: '*', role: 'admin', sub: 'local-demo' },
    });
    try {
      const res = await fetch(`${demo.url}/auth/demo-token`);
      const body = await res.json();
      expect(body.identity).toEqual({ tenant_id: '*', role: 'admin', sub: 'local-demo' });
      expect((await load(demo.url, revenueQuery, body.token)).status).toBe(200);
      // HEAD says it is offered without minting one (the login page asks this way).
      expect(await demoStatus(demo.url, {}, 'HEAD')).toBe(200);
      // A page on another host name (DNS rebinding) does not get one (fetch cannot set Host).
      expect(await demoStatus(demo.url, { Host: 'evil.example:4000' })).toBe(404);
      // Nor does anyone behind a reverse proxy on this host, even one that keeps Host: localhost.
      expect(await demoStatus(demo.url, { 'X-Forwarded-For': '203.0.113.7' })).toBe(404);
      expect(await demoStatus(demo.url, { Forwarded: 'for=203.0.113.7' })).toBe(404);
    } finally {
      await demo.close();
    }
  });
});

describe('bad queries', () => {
  it('answers an unknown member with 400, naming it', async () => {
    expect(await load(server.url, { measures: ['events.nope'] })).toEqual({ status: 400, body: { error: 'Unknown member "events.nope": query the views and members that /meta lists.' } });
  });

  it('answers a malformed query with 400', async () => {
    const res = await fetch(`${server.url}/cubejs-api/v1/load?query=${encodeURIComponent('{"measures": [')}`, { headers: { Authorization: ADMIN_TOKEN() } });
    expect(res.status).toBe(400);
    expect(await load(server.url, { measures: 'events.total' })).toEqual({ status: 400, body: { error: 'Malformed query: "measures" must be an array.' } });
    expect(await load(server.url, { measures: [{ name: 'events.total' }] })).toEqual({ status: 400, body: { error: 'Malformed query: "measures" must list member names as strings.' } });
  });

  it('answers a malformed JSON body with 400 and keeps serving', async () => {
    const res = await fetch(`${server.url}/cubejs-api/v1/load`, { method: 'POST', headers: { Authorization: ADMIN_TOKEN(), 'Content-Type': 'application/json' }, body: '{"query":' });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/^Malformed request body/);
    expect((await load(server.url, revenueQuery)).status).toBe(200);
  });

  it('refuses the SQL API clearly (it needs the native module)', async () => {
    const res = await fetch(`${server.url}/cubejs-api/v1/cubesql`, {
      method: 'POST',
      headers: { Authorization: ADMIN_TOKEN(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: 'SELECT 1' }),
    });
    expect(res.status).toBe(501);
    expect((await res.json()).error).toMatch(/SQL API is not available.*@cubejs-backend\/native/);
    const anonymous = await fetch(`${server.url}/cubejs-api/v1/cubesql`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
    expect(anonymous.status).toBe(401);
  });

  it('sets security headers on every response', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
  });
});

describe('broken models', () => {
  async function serveModel(files: Record<string, string>) {
    const dir = path.join(tmp.dir, `model-${Math.random().toString(36).slice(2)}`);
    cpSync(FIXTURE_MODEL, dir, { recursive: true });
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
    return startServer({ warehouse: path.join(tmp.dir, 'events.duckdb'), apiSecret: TEST_SECRET, port: 0, modelPath: dir, webDist: null, refreshIntervalSeconds: 0 });
  }

  it('names the file and member of a broken reference, and keeps answering /health', async () => {
    const broken = await serveModel({
      'broken.yml': 'cubes:\n  - name: broken\n    sql_table: events\n    measures:\n      - name: ratio\n        sql: "{missing_measure} / 2"\n        type: number\n',
    });
    try {
      // Line 6 is the line that references {missing_measure} (Cube counts lines of its transpiled JavaScript).
      expect(await broken.checkModel()).toBe('Compile errors:\nReferenceError: missing_measure is not defined\n    in broken.yml, line 6, member "ratio"');
      const { status, body } = await load(broken.url, revenueQuery);
      // A broken model is the server's fault, not the query's: 500, with the same explanation.
      expect(status).toBe(500);
      expect(body.error).toContain('in broken.yml, line 6, member "ratio"');
      // Not ready: no model compiled, and /health says why.
      const health = await fetch(`${broken.url}/health`);
      expect(health.status).toBe(503);
      expect((await health.json()).reasons).toEqual(['model: does not compile: Compile errors:\nReferenceError: missing_measure is not defined\n    in broken.yml, line 6, member "ratio"']);
    } finally {
      await broken.close();
    }
  });

  it('refuses a Jinja model with a clear message', async () => {
    const jinja = await serveModel({ 'templated.yml': 'cubes:\n  - name: templated\n    sql: "SELECT {{ 1 }} AS x"\n' });
    try {
      expect(await jinja.checkModel()).toMatch(/templated\.yml: Jinja templating is not available/);
    } finally {
      await jinja.close();
    }
  });
});

describe('startup errors', () => {
  it('refuses a file that is not a DuckDB database', async () => {
    const notDuckDB = path.join(tmp.dir, 'notes.duckdb');
    writeFileSync(notDuckDB, 'this is not a database');
    await expect(startServer({ warehouse: notDuckDB, apiSecret: TEST_SECRET, port: 0, modelPath: FIXTURE_MODEL, webDist: null })).rejects.toThrow(
      /Cannot open warehouse .*notes\.duckdb as a DuckDB database/,
    );
  });

  it('says how to create a missing warehouse', async () => {
    await expect(startServer({ warehouse: path.join(tmp.dir, 'missing.duckdb'), apiSecret: TEST_SECRET, port: 0, modelPath: FIXTURE_MODEL, webDist: null })).rejects.toThrow(/npm run seed/);
  });

  it('says when the port is in use', async () => {
    const second = startServer({ warehouse, apiSecret: TEST_SECRET, port: server.port, modelPath: FIXTURE_MODEL, webDist: null, refreshIntervalSeconds: 0 });
    await expect(second).rejects.toThrow(StartupError);
    await expect(second).rejects.toThrow(`Port ${server.port} on 127.0.0.1 is already in use`);
  });

  it('says when Postgres is unreachable', async () => {
    await expect(startServer({ warehouse: 'postgres://nobody:secret@127.0.0.1:1/crm', apiSecret: TEST_SECRET, port: 0, modelPath: FIXTURE_MODEL, webDist: null })).rejects.toThrow(
      /Cannot reach the postgres warehouse at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/crm/,
    );
  });
});
