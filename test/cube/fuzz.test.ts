import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { UserRecord } from '../../cube/auth/users.js';
import { hashPassword } from '../../cube/auth/passwords.js';
import { startServer, type RunningServer } from '../../cube/server.js';
import { ADMIN_TOKEN, load, TEST_SECRET, tokenFor } from '../support/apiClient.js';
import { createDuckDBFile, queryDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { serveGeneratedWarehouse, type ServedWarehouse } from '../support/warehouses.js';
import {
  authHeader,
  bodyHeaders,
  brokenJson,
  FIXTURE_VOCABULARY,
  goodQuery,
  mutateQuery,
  prng,
  send,
  SQL_FRAGMENTS,
  WEIRD_MEMBERS,
  type FuzzRequest,
  type FuzzResponse,
  type QueryVocabulary,
  type Rng,
} from '../support/fuzzRequests.js';
import { EVENTS_SQL, FIXTURE_MODEL } from './fixtures.js';

/*
 * The server's contract under hostile input, checked with a few thousand seeded, malformed
 * requests on every route: it never answers 5xx (except the documented 501 for APIs this
 * product turns off, and 503 for login when it is not configured or busy), every error is JSON
 * with a clear `error`, no answer carries a stack trace, a filesystem path or the SQL the
 * server generated, and it still answers a known-good query correctly afterwards.
 */

const SEED = 20240915;
const FIXTURE_REQUESTS = 2000;
const REAL_MODEL_REQUESTS = 500;
const CONCURRENCY = 8;

const tmp = tempDir('crm-fuzz-');

/** encodeURIComponent that survives lone surrogates (they are sent as U+FFFD). */
const enc = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'));
  }
};

/** Routes that answer 501 by design (APIs this product turns off) and 503 (login not configured or busy). */
function documented5xx(req: FuzzRequest, status: number): boolean {
  if (status === 501) return /^\/cubejs-api\/(v1\/cubesql|graphql|v1\/graphql-to-json|v1\/pre-aggregations\/can-use|v1\/subscribe)/.test(req.path);
  if (status === 503) return req.path.startsWith('/auth/login');
  return false;
}

/** What is wrong with one answer, if anything. */
function problems(req: FuzzRequest, res: FuzzResponse): string[] {
  const found: string[] = [];
  if (res.status === 0) return [res.text];
  if (res.status >= 500 && !documented5xx(req, res.status)) found.push(`HTTP ${res.status}`);
  if (res.status >= 400) {
    let body: any;
    try {
      body = JSON.parse(res.text);
    } catch {
      found.push('error body is not JSON');
    }
    if (body !== undefined && !(typeof body?.error === 'string' && body.error.trim().length > 3)) found.push('error body has no clear "error" string');
    if (!res.contentType.startsWith('application/json')) found.push(`error content-type ${res.contentType}`);
  }
  if (res.text.includes('    at ')) found.push('stack trace');
  if (res.text.includes('/node_modules/') || res.text.includes('/work/') || res.text.includes(tmp.dir)) found.push('filesystem path');
  // The server's own SQL (uppercase; the fuzz's fragments are lowercase). /sql answers SQL by design.
  const sqlByDesign = res.status === 200 && /^\/cubejs-api\/v1\/sql/.test(req.path);
  if (!sqlByDesign && /SELECT |\bFROM "?\w+"? AS |CAST\(\? AS|LINE \d+:/.test(res.text)) found.push('SQL text');
  return found;
}

interface Tally {
  requests: number;
  byStatus: Record<number, number>;
  byRoute: Record<string, Record<number, number>>;
  failures: { req: FuzzRequest; status: number; problems: string[]; body: string }[];
}

async function runAll(baseUrl: string, requests: FuzzRequest[]): Promise<Tally> {
  const tally: Tally = { requests: 0, byStatus: {}, byRoute: {}, failures: [] };
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const req = requests[next++];
      const res = await send(baseUrl, req);
      tally.requests++;
      tally.byStatus[res.status] = (tally.byStatus[res.status] ?? 0) + 1;
      const route = (tally.byRoute[req.route] ??= {});
      route[res.status] = (route[res.status] ?? 0) + 1;
      const found = problems(req, res);
      if (found.length) tally.failures.push({ req, status: res.status, problems: found, body: res.text.slice(0, 300) });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  // The worst first: server errors, then leaks, then unclear errors.
  const rank = (f: Tally['failures'][number]) => (f.status >= 500 || f.status === 0 ? 0 : f.problems.some((p) => /stack|path|SQL/.test(p)) ? 1 : 2);
  tally.failures.sort((a, b) => rank(a) - rank(b));
  return tally;
}

const readable = (p: string) => {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
};

function describeFailure(f: Tally['failures'][number]): string {
  const body = f.req.body === undefined ? '' : ` body=${(Buffer.isBuffer(f.req.body) ? f.req.body.toString('latin1') : f.req.body).slice(0, 300)}`;
  return `${f.problems.join(', ')}: ${f.req.method} ${readable(f.req.path).slice(0, 800)} headers=${JSON.stringify({ ...f.req.headers, Authorization: f.req.headers.Authorization?.slice(0, 20) })}${body} -> ${f.status} ${f.body}`;
}

function printTally(name: string, tally: Tally): void {
  const statuses = Object.entries(tally.byStatus)
    .map(([s, n]) => `${s}: ${n}`)
    .join(', ');
  const routes = Object.entries(tally.byRoute)
    .sort()
    .map(
      ([r, counts]) =>
        `  ${r.padEnd(28)} ${Object.entries(counts)
          .map(([s, n]) => `${s}x${n}`)
          .join(' ')}`,
    )
    .join('\n');
  console.log(`[fuzz] ${name}: ${tally.requests} requests (${statuses}); ${tally.failures.length} failing\n${routes}`);
  for (const f of tally.failures.slice(0, 15)) console.log(`[fuzz] FAIL ${describeFailure(f)}`);
}

const QUERY_ROUTES = ['/cubejs-api/v1/load', '/cubejs-api/v1/sql', '/cubejs-api/v1/dry-run', '/cubejs-api/v1/subscribe'];

/** A body for a POST route: mostly a mutated JSON document, sometimes broken bytes; encoded as the headers claim, sometimes not. */
function postBody(rng: Rng, doc: unknown, headers: Record<string, string>): Buffer | string {
  let json: string;
  try {
    json = JSON.stringify(doc) ?? 'null';
  } catch {
    json = '{}';
  }
  const body = rng.chance(0.8) ? json : brokenJson(rng, json);
  return headers['Content-Encoding'] === 'gzip' && rng.chance(0.6) ? gzipSync(body) : body;
}

function withAuth(rng: Rng, headers: Record<string, string> = {}): Record<string, string> {
  // Half the requests carry a good token, so most of the malformed queries reach Cube.
  const auth = rng.chance(0.5)
    ? tokenFor(
        rng.pick([
          { tenant_id: '*', role: 'admin' },
          { tenant_id: 't01', role: 'marketer' },
          { tenant_id: 't02', role: 'crm_manager' },
        ] as const),
      )
    : authHeader(rng);
  return auth === undefined ? headers : { ...headers, Authorization: auth };
}

/** The seeded request list: every route, mostly malformed. */
function buildRequests(rng: Rng, count: number, vocab: QueryVocabulary, chartId: string, embedToken: string): FuzzRequest[] {
  const requests: FuzzRequest[] = [];
  let logins = 0;
  const query = () => (rng.chance(0.1) ? goodQuery(rng, vocab) : mutateQuery(rng, vocab, goodQuery(rng, vocab)));
  const makers: [number, () => FuzzRequest][] = [
    [
      30,
      () => {
        const route = rng.pick(QUERY_ROUTES);
        const q = query();
        let param: string;
        try {
          param = JSON.stringify(q) ?? 'null';
        } catch {
          param = '{}';
        }
        if (rng.chance(0.15)) param = String(brokenJson(rng, param));
        const extra = rng.pick(['', '&queryType=multi', `&queryType=${enc(rng.pick(SQL_FRAGMENTS))}`, '&query=second', '&query[measures]=x', `&${'a=1&'.repeat(200)}`]);
        return { route: `GET ${route.split('/').pop()}`, method: 'GET', path: `${route}?query=${enc(param)}${extra}`, headers: withAuth(rng) };
      },
    ],
    [
      30,
      () => {
        const route = rng.pick(QUERY_ROUTES.slice(0, 3));
        const headers = withAuth(rng, bodyHeaders(rng));
        const doc = rng.pick<() => unknown>([
          () => ({ query: query() }),
          () => ({ query: JSON.stringify(query()) }),
          () => ({ query: query(), queryType: rng.pick(['multi', 'regular', 1, {}]) }),
          () => query(),
          () => ({ query: goodQuery(rng, vocab), pad: 'x'.repeat(1_100_000) }),
        ])();
        return { route: `POST ${route.split('/').pop()}`, method: 'POST', path: route, headers, body: postBody(rng, doc, headers) };
      },
    ],
    [
      4,
      () => ({
        route: 'GET meta',
        method: 'GET',
        path: rng.pick(['/cubejs-api/v1/meta', '/cubejs-api/v1/meta?extended=true', `/cubejs-api/v1/meta?${enc(rng.pick(SQL_FRAGMENTS))}=1`]),
        headers: withAuth(rng),
      }),
    ],
    [
      5,
      () => {
        const headers = withAuth(rng, bodyHeaders(rng));
        const path = rng.pick(['/cubejs-api/v1/pre-aggregations/can-use', '/cubejs-api/v1/pre-aggregations/jobs', '/cubejs-api/v1/cubesql', '/cubejs-api/graphql', '/cubejs-api/v1/graphql-to-json']);
        const doc = rng.pick<unknown>([
          {},
          { transformedQuery: {}, references: {} },
          { transformedQuery: null },
          { action: 'post', selector: { contexts: [{ securityContext: {} }] } },
          { action: rng.pick(SQL_FRAGMENTS) },
          { query: 'select 1' },
          { query: '{ cube { events { total } } }' },
          { query: rng.pick(SQL_FRAGMENTS) },
          null,
        ]);
        return { route: `POST ${path.split('/').slice(-2).join('/')}`, method: 'POST', path, headers, body: postBody(rng, doc, headers) };
      },
    ],
    [
      3,
      () => ({
        route: 'GET misc cube',
        method: 'GET',
        path: rng.pick([
          '/cubejs-api/v1/run-scheduled-refresh',
          '/cubejs-api/v1/run-scheduled-refresh?queryingOptions=%7B',
          '/cubejs-api/graphql?query=%7B',
          '/cubejs-api/v1/pre-aggregations/can-use',
          '/readyz',
          '/livez',
          '/cubejs-system/v1/context',
          '/cubejs-system/v1/pre-aggregations',
        ]),
        headers: withAuth(rng),
      }),
    ],
    [
      8,
      () => {
        const headers = withAuth(rng, bodyHeaders(rng));
        const doc = rng.pick<() => unknown>([
          () => ({ title: rng.pick(['t', ...SQL_FRAGMENTS, 'x'.repeat(500), '']), chartType: rng.pick(['bar', 'line', 'pie', rng.pick(SQL_FRAGMENTS), 1]), query: query() }),
          () => ({
            title: 'deep',
            chartType: 'bar',
            query: { measures: ['events.total'], filters: [JSON.parse('{"or":['.repeat(200) + '{"member":"events.label","operator":"set"}' + ']}'.repeat(200))] },
          }),
          () => ({ title: rng.pick(WEIRD_MEMBERS), chartType: 'kpi', query: rng.pick([null, [], 'x', { measures: 'events.total' }]) }),
        ])();
        return { route: 'POST charts', method: 'POST', path: '/api/charts', headers, body: postBody(rng, doc, headers) };
      },
    ],
    [3, () => ({ route: 'GET charts', method: 'GET', path: rng.pick(['/api/charts', `/api/charts/${enc(rng.pick(WEIRD_MEMBERS))}`, `/api/charts/${chartId}`]), headers: withAuth(rng) })],
    [
      5,
      () => {
        const headers = withAuth(rng, bodyHeaders(rng));
        const id = rng.chance(0.7) ? chartId : enc(rng.pick([...WEIRD_MEMBERS, ...SQL_FRAGMENTS]).slice(0, 200));
        const doc = {
          tenant_id: rng.pick<unknown>(['t01', 't02', '*', null, 1, ['t01'], rng.pick(SQL_FRAGMENTS)]),
          filters: rng.chance(0.5)
            ? [{ member: rng.pick([...vocab.dimensions, ...WEIRD_MEMBERS]), operator: rng.pick(['equals', rng.pick(SQL_FRAGMENTS)]), values: [rng.pick(SQL_FRAGMENTS)] }]
            : rng.pick<unknown>(['x', null, [null], [JSON.parse('{"or":['.repeat(50) + '{}' + ']}'.repeat(50))]]),
          expiresIn: rng.pick<unknown>(['1h', '7d', '31d', 0, -1, 1e12, 'x', null, '1h; drop']),
        };
        return { route: 'POST embed-tokens', method: 'POST', path: `/api/charts/${id}/embed-tokens`, headers, body: postBody(rng, doc, headers) };
      },
    ],
    [
      6,
      () => {
        const token = rng.pick<() => string | undefined>([
          () => embedToken,
          () => `Bearer ${embedToken}`,
          () => embedToken.slice(0, -3) + 'abc',
          () => undefined,
          () => authHeader(rng),
          () => 'Bearer x.y.z',
        ])();
        const id = rng.chance(0.7) ? chartId : enc(rng.pick([...WEIRD_MEMBERS, ...SQL_FRAGMENTS]).slice(0, 200));
        return {
          route: 'GET embed data',
          method: rng.pick(['GET', 'GET', 'OPTIONS']),
          path: `/api/embed/${id}/data`,
          headers: (token === undefined ? { Origin: 'https://portal.example' } : { Authorization: token, Origin: rng.pick(['https://portal.example', 'https://evil.example', 'null']) }) as Record<
            string,
            string
          >,
        };
      },
    ],
    [
      4,
      () => {
        // Sign-out, chart deletion, embed-token listing and revocation, the audit trail. Never the shared
        // chart or embed token: the other requests need them (tokens are fresh, so signing one out harms none).
        const weird = () => enc(rng.pick([...WEIRD_MEMBERS, ...SQL_FRAGMENTS, 'x'.repeat(300)]).slice(0, 300));
        const headers = withAuth(rng, bodyHeaders(rng));
        const doc = rng.pick<unknown>([{ filename: 'revenue', rows: 3 }, { filename: rng.pick(SQL_FRAGMENTS), rows: -1 }, { filename: 'x'.repeat(1000), rows: 1e300 }, null, [], 'x']);
        return rng.pick<() => FuzzRequest>([
          () => ({ route: 'POST logout', method: 'POST', path: '/auth/logout', headers }),
          () => ({ route: 'DELETE chart', method: 'DELETE', path: `/api/charts/${weird()}`, headers: withAuth(rng) }),
          () => ({ route: 'embed-tokens', method: rng.pick(['GET', 'DELETE']), path: rng.pick(['/api/embed-tokens', `/api/embed-tokens/${weird()}`]), headers: withAuth(rng) }),
          () => ({
            route: 'GET audit',
            method: 'GET',
            path: `/api/audit?${rng.pick(['', 'limit=0', 'limit=1e9', 'kind=query', `kind=${weird()}`, `from=${weird()}`, 'before=x', `user=${weird()}`, 'limit=5&before=3'])}`,
            headers: withAuth(rng),
          }),
          () => ({ route: 'POST audit export', method: 'POST', path: '/api/audit/export', headers, body: postBody(rng, doc, headers) }),
        ])();
      },
    ],
    [
      3,
      () => ({
        route: 'GET extracts',
        method: 'GET',
        path: `/api/extracts/${enc(rng.pick(['cohort-activity', 'nope', '__proto__', 'constructor', 'toString', ...SQL_FRAGMENTS.slice(0, 4)]))}`,
        headers: withAuth(rng),
      }),
    ],
    [
      2,
      () => {
        const headers = bodyHeaders(rng);
        // Logins hash passwords (slow by design): a bounded number of real attempts, then malformed bodies only.
        const real = logins++ < 40;
        const doc = real
          ? { username: rng.pick(['mika', 'admin', "admin' --", '__proto__', 'x'.repeat(100)]), password: rng.pick(['wrong', 'correct horse', '', 'x'.repeat(10_000)]) }
          : rng.pick<unknown>([{ username: 1, password: {} }, { username: ['a'] }, null, 'x', []]);
        return { route: 'POST login', method: 'POST', path: '/auth/login', headers, body: postBody(rng, doc, headers) };
      },
    ],
    [
      2,
      () => ({
        route: 'GET demo-token/health',
        method: 'GET',
        path: rng.pick(['/auth/demo-token', '/health', '/health?x=%ZZ', '/auth/demo-token?x=1']),
        headers: rng.pick<Record<string, string>>([{}, { Host: 'evil.example' }, { 'X-Forwarded-For': '10.0.0.1' }]),
      }),
    ],
    [
      4,
      () => ({
        route: 'unknown path',
        method: rng.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']),
        path: rng.pick([
          '/nope',
          '/cubejs-api/v1/nope',
          '/cubejs-api/v2/load',
          '/api/nope',
          '/auth/nope',
          '/cubejs-api/v1/load/extra',
          '/%2e%2e/%2e%2e/etc/passwd',
          '/..%2f..%2fpackage.json',
          `/cubejs-api/v1/${enc(rng.pick(SQL_FRAGMENTS))}`,
          '/api/charts/x/y/z',
          '/api/embed//data',
          '/favicon.ico',
          '/cubejs-api/v1/meta/%E0%A4%A',
        ]),
        headers: withAuth(rng, { 'Content-Type': 'application/json' }),
        body: rng.chance(0.5) ? '{"x":1}' : undefined,
      }),
    ],
  ];
  const total = makers.reduce((n, [w]) => n + w, 0);
  while (requests.length < count) {
    let r = rng.next() * total;
    const maker = makers.find(([w]) => (r -= w) < 0)![1];
    requests.push(maker());
  }
  return requests;
}

async function chartAndEmbed(baseUrl: string, query: object): Promise<{ chartId: string; embedToken: string }> {
  const manager = tokenFor({ tenant_id: 't01', role: 'crm_manager', sub: 'fuzz' });
  const created = await fetch(`${baseUrl}/api/charts`, {
    method: 'POST',
    headers: { Authorization: manager, 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Fuzz chart', chartType: 'bar', query }),
  });
  const chart = (await created.json()).chart;
  if (!chart?.id) throw new Error(`chart not created: HTTP ${created.status}`);
  const minted = await fetch(`${baseUrl}/api/charts/${chart.id}/embed-tokens`, {
    method: 'POST',
    headers: { Authorization: manager, 'Content-Type': 'application/json' },
    body: JSON.stringify({ tenant_id: 't01', expiresIn: '1h' }),
  });
  return { chartId: chart.id, embedToken: (await minted.json()).token };
}

async function users(): Promise<UserRecord[]> {
  return [{ username: 'mika', role: 'marketer', tenant_id: 't01', password_hash: await hashPassword('correct horse') }];
}

describe('fuzzing the fixture model', () => {
  let server: RunningServer;
  const logged: string[] = [];
  beforeAll(async () => {
    const warehouse = path.join(tmp.dir, 'events.duckdb');
    await createDuckDBFile(warehouse, EVENTS_SQL);
    server = await startServer({
      warehouse,
      apiSecret: TEST_SECRET,
      port: 0,
      modelPath: FIXTURE_MODEL,
      webDist: null,
      refreshIntervalSeconds: 0,
      users: await users(),
      charts: true,
      embedOrigins: ['https://portal.example'],
      demoIdentity: { tenant_id: '*', role: 'admin', sub: 'local-demo' },
      log: (line) => logged.push(line),
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    send(server.url, { route: 'spec', method: 'POST', path, headers: { Authorization: ADMIN_TOKEN(), 'Content-Type': 'application/json', ...headers }, body });
  const errorOf = (res: FuzzResponse) => JSON.parse(res.text).error as string;

  it('answers a body over 1 MB with 413 and a body in another charset than UTF-8 with 415', async () => {
    const big = await post('/cubejs-api/v1/load', JSON.stringify({ query: { measures: ['events.total'] }, pad: 'x'.repeat(1_100_000) }));
    expect([big.status, errorOf(big)]).toEqual([413, 'Request body too large: at most 1024 KB of JSON.']);
    const latin = await post('/cubejs-api/v1/load', '{"query":{"measures":["events.total"]}}', { 'Content-Type': 'application/json; charset=latin-9' });
    expect(latin.status).toBe(415);
    expect(errorOf(latin)).toMatch(/^Unsupported charset "latin-9": send JSON as UTF-8/);
  });

  it('refuses filters nested too deeply or too many, on /load and on saved charts, with 400', async () => {
    const deep = (n: number) => '{"or":['.repeat(n) + '{"member":"events.label","operator":"set"}' + ']}'.repeat(n);
    for (const [path, body] of [
      ['/cubejs-api/v1/load', `{"query":{"measures":["events.total"],"filters":[${deep(20_000)}]}}`],
      ['/api/charts', `{"title":"x","chartType":"bar","query":{"measures":["events.total"],"filters":[${deep(20_000)}]}}`],
    ]) {
      const res = await post(path, body, { Authorization: tokenFor({ tenant_id: 't01', role: 'crm_manager' }) });
      expect([res.status, errorOf(res)]).toEqual([400, 'Malformed query: filters nested too deeply (at most 10 levels of "and"/"or").']);
    }
    const many = await post(
      '/cubejs-api/v1/load',
      JSON.stringify({ query: { measures: ['events.total'], filters: Array.from({ length: 501 }, () => ({ member: 'events.label', operator: 'set' })) } }),
    );
    expect([many.status, errorOf(many)]).toEqual([400, 'Malformed query: too many filters (at most 500, nested ones included).']);
    const nested = await post('/cubejs-api/v1/sql', `{"query":${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
    expect(nested.status).toBe(400);
  });

  it("tells the client a query could not be run without the warehouse's text or SQL, under the request id it logs", async () => {
    const res = await post('/cubejs-api/v1/load', JSON.stringify({ query: { measures: ['events.total'], filters: [{ member: 'events.happened_at', operator: 'equals', values: ['2024-13-45'] }] } }), {
      'X-Request-Id': 'fuzz-spec-1',
    });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toBe('The query could not be run: a filter or date value does not fit the type of its member (request id fuzz-spec-1).');
    expect(logged.find((line) => line.startsWith('[query fuzz-spec-1] warehouse error:'))).toMatch(/Conversion Error: .*2024-13-45/);
  });

  it('answers an unreadable date range, a limit above the ceiling, the Rollup Designer and unknown routes clearly', async () => {
    const range = await post(
      '/cubejs-api/v1/load',
      JSON.stringify({ query: { measures: ['events.total'], timeDimensions: [{ dimension: 'events.happened_at', dateRange: ["2024-01-01'; select 1", '2024-12-31'] }] } }),
    );
    expect(range.status).toBe(400); // Cube read it as "Invalid date" and answered 200 with a null total
    const limit = await post('/cubejs-api/v1/load', JSON.stringify({ query: { measures: ['events.total'], limit: 1e12 } }));
    expect([limit.status, errorOf(limit)]).toEqual([400, expect.stringMatching(/^"limit" is above this server's ceiling of [\d,]+ rows\.$/)]);
    const canUse = await post('/cubejs-api/v1/pre-aggregations/can-use', '{}');
    expect([canUse.status, errorOf(canUse)]).toEqual([501, 'The Rollup Designer API is turned off in this product.']);
    const unknown = await send(server.url, { route: 'spec', method: 'GET', path: '/cubejs-api/v1/nope', headers: {} });
    expect([unknown.status, errorOf(unknown)]).toEqual([404, 'No such route: GET /cubejs-api/v1/nope.']);
    const hugeHeader = await send(server.url, { route: 'spec', method: 'GET', path: '/cubejs-api/v1/meta', headers: { Authorization: 'x'.repeat(20_000) } });
    expect(hugeHeader.status).toBe(431);
    expect(errorOf(hugeHeader)).toMatch(/^Request headers too large/);
  });

  it('answers responseFormat "compact" for roles under suppression too', async () => {
    const query = { measures: ['board.customers'], dimensions: ['board.region'], order: { 'board.region': 'asc' }, responseFormat: 'compact' };
    for (const token of [ADMIN_TOKEN(), tokenFor({ tenant_id: 't01', role: 'marketer' })]) {
      const res = await send(server.url, { route: 'spec', method: 'GET', path: `/cubejs-api/v1/load?query=${enc(JSON.stringify(query))}`, headers: { Authorization: token } });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).data.members).toEqual(['board.region', 'board.customers']);
    }
  });

  it(`answers ${FIXTURE_REQUESTS} malformed requests without 5xx, leaks or unclear errors, then still answers correctly`, async () => {
    const { chartId, embedToken } = await chartAndEmbed(server.url, { measures: ['events.total'], dimensions: ['events.label'] });
    const requests = buildRequests(prng(SEED), FIXTURE_REQUESTS, FIXTURE_VOCABULARY, chartId, embedToken);
    const tally = await runAll(server.url, requests);
    printTally('fixture model', tally);
    expect(tally.requests).toBe(FIXTURE_REQUESTS);
    expect(tally.failures.slice(0, 10).map(describeFailure)).toEqual([]);

    // Afterwards: every event's amount, 100.25 + 200 + 50.50 + 1000 + 0.05; t01's three, 350.75
    // (read by a role with personal data: the fixture model counts no customers, so a marketer's figure is blank).
    expect((await load(server.url, { measures: ['events.total'] })).body.data).toEqual([{ 'events.total': '1350.8' }]);
    expect((await load(server.url, { measures: ['events.total'] }, tokenFor({ tenant_id: 't01', role: 'crm_manager' }))).body.data).toEqual([{ 'events.total': '350.75' }]);
  }, 120_000);
});

describe('fuzzing the product model on a generated warehouse', () => {
  let served: ServedWarehouse;
  const vocab: QueryVocabulary = {
    measures: ['executive_kpis.revenue', 'executive_kpis.orders', 'customer_health.repeat_rate', 'cohorts.cohort_retention', 'cohorts.cohort_customers', 'kpi_attainment.revenue_attainment'],
    dimensions: ['executive_kpis.channel', 'executive_kpis.region', 'executive_kpis.tenant_id', 'cohorts.month_offset', 'cohorts.tier'],
    timeDimensions: ['executive_kpis.ordered_at', 'customer_health.month', 'cohorts.cohort_month'],
  };
  beforeAll(async () => {
    served = await serveGeneratedWarehouse('duckdb', { charts: true });
  }, 120_000);
  afterAll(async () => {
    await served?.stop();
    tmp.remove();
  });

  it(`answers ${REAL_MODEL_REQUESTS} malformed requests without 5xx or leaks, then still answers correctly`, async () => {
    const good = { measures: ['executive_kpis.orders'] };
    const before = await load(served.server.url, good, ADMIN_TOKEN());
    expect(before.status).toBe(200);
    const { chartId, embedToken } = await chartAndEmbed(served.server.url, { measures: ['executive_kpis.revenue'], dimensions: ['executive_kpis.channel'] });
    const requests = buildRequests(prng(SEED + 1), REAL_MODEL_REQUESTS, vocab, chartId, embedToken);
    const tally = await runAll(served.server.url, requests);
    printTally('product model', tally);
    expect(tally.failures.slice(0, 10).map(describeFailure)).toEqual([]);

    // Afterwards: the order count equals the warehouse's own count of orders.
    const orders = (await queryDuckDBFile(served.duckdbFile, 'SELECT count(*)::VARCHAR AS n FROM orders'))[0].n;
    const after = await load(served.server.url, good, ADMIN_TOKEN());
    expect(Number(orders)).toBeGreaterThan(1000);
    expect(after.body.data).toEqual([{ 'executive_kpis.orders': String(orders) }]);
  }, 180_000);
});
