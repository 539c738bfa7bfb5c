import http from 'node:http';
import { gzipSync } from 'node:zlib';
import jwt from 'jsonwebtoken';
import { TEST_SECRET, tokenFor } from './apiClient.js';

/** A deterministic PRNG (mulberry32): the same seed sends the same requests. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
export type Rng = ReturnType<typeof prng>;

export interface FuzzRequest {
  route: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
}

export interface FuzzResponse {
  status: number;
  contentType: string;
  text: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/**
 * Sends exactly what it is given (raw bodies, odd headers), unlike fetch. A connection the
 * server closes without an answer is retried once on a fresh connection (a kept-alive socket
 * may be closed by the server between requests); twice is status 0.
 */
export async function send(baseUrl: string, req: FuzzRequest): Promise<FuzzResponse> {
  try {
    return await sendOnce(baseUrl, req, agent);
  } catch {
    try {
      return await sendOnce(baseUrl, req, false);
    } catch (e) {
      return { status: 0, contentType: '', text: `no answer: ${(e as Error).message}` };
    }
  }
}

function sendOnce(baseUrl: string, req: FuzzRequest, via: http.Agent | false): Promise<FuzzResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const r = http.request({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers: req.headers, agent: via }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(req.body);
  });
}

/** SQL and script fragments put into every string field. Lowercase: the server's own SQL is uppercase, so a leak stays recognisable. */
export const SQL_FRAGMENTS = [
  "'; drop table events; --",
  "' or '1'='1",
  '" or 1=1 --',
  "x') union all select * from people --",
  'events.total; select 1',
  "America/New_York'; select pg_sleep(1); --",
  "1; copy events to '/tmp/x.csv'",
  "') as x; attach '/tmp/evil.db' as evil; --",
  '${process.exit(1)}',
  '{{ 7 * 7 }}',
  '<script>alert(1)</script>',
  '\u0000',
  '\ud800',
  '../../../etc/passwd',
];

export const WEIRD_MEMBERS = [
  '__proto__',
  'constructor',
  'prototype',
  '__proto__.x',
  'constructor.prototype',
  'events.__proto__',
  'events.constructor',
  'events.toString',
  'events.hasOwnProperty',
  '__proto__.__proto__',
  'events',
  'events.',
  '.total',
  'events.total.month.extra',
  'events.nope',
  'nope.total',
  '',
  ' ',
  'EVENTS.TOTAL',
  'events.happened_at.fortnight',
  'people.email',
  'people.name',
  'x'.repeat(5000),
  'events.total'.repeat(50),
  'イベント.合計',
];

export const WRONG_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  '',
  'x',
  '10',
  [],
  [[]],
  [null],
  {},
  { a: 1 },
  ['events.total'],
  { __proto__: { polluted: true } },
  JSON.parse('{"__proto__":{"polluted":true}}'),
  'NaN',
  'Infinity',
  '1e999',
];

const TIME_DIMS = ['events.happened_at', 'events.day'];
const GOOD_MEASURES = ['events.total', 'events.count', 'events.avg_amount', 'events.distinct_labels', 'board.customers', 'board.spend'];
const GOOD_DIMENSIONS = ['events.label', 'events.flag', 'events.tenant_id', 'board.region'];
const OPERATORS = ['equals', 'notEquals', 'contains', 'notContains', 'startsWith', 'endsWith', 'gt', 'gte', 'lt', 'lte', 'set', 'notSet', 'inDateRange', 'notInDateRange', 'beforeDate', 'afterDate'];

export interface QueryVocabulary {
  measures: string[];
  dimensions: string[];
  timeDimensions: string[];
}
export const FIXTURE_VOCABULARY: QueryVocabulary = { measures: GOOD_MEASURES, dimensions: GOOD_DIMENSIONS, timeDimensions: TIME_DIMS };

function anyString(rng: Rng, vocab: QueryVocabulary): string {
  return rng.pick([
    () => rng.pick(SQL_FRAGMENTS),
    () => rng.pick(WEIRD_MEMBERS),
    () => rng.pick(vocab.measures),
    () => rng.pick(vocab.dimensions),
    () => `${rng.pick(vocab.dimensions)}${rng.pick(SQL_FRAGMENTS)}`,
  ])();
}

function anyValue(rng: Rng, vocab: QueryVocabulary): unknown {
  return rng.chance(0.5) ? rng.pick(WRONG_VALUES) : anyString(rng, vocab);
}

function deepFilter(depth: number, leaf: object): object {
  let f: object = leaf;
  for (let i = 0; i < depth; i++) f = { [i % 2 ? 'and' : 'or']: [f] };
  return f;
}

function goodFilter(rng: Rng, vocab: QueryVocabulary): Record<string, unknown> {
  return { member: rng.pick(vocab.dimensions), operator: rng.pick(['equals', 'notEquals', 'set', 'contains']), values: [rng.pick(['apple', 'Kanto', 't01', "O'Brien", '100% cotton'])] };
}

/** A valid query of the vocabulary: the starting point of every mutation. */
export function goodQuery(rng: Rng, vocab: QueryVocabulary): Record<string, unknown> {
  const q: Record<string, unknown> = { measures: [rng.pick(vocab.measures)] };
  if (rng.chance(0.5)) q.dimensions = [rng.pick(vocab.dimensions)];
  if (rng.chance(0.5)) q.timeDimensions = [{ dimension: rng.pick(vocab.timeDimensions), granularity: rng.pick(['day', 'month', 'year']), dateRange: ['2024-01-01', '2024-12-31'] }];
  if (rng.chance(0.4)) q.filters = [goodFilter(rng, vocab)];
  if (rng.chance(0.3)) q.order = { [(q.measures as string[])[0]]: 'desc' };
  if (rng.chance(0.3)) q.limit = 1 + rng.int(100);
  return q;
}

/** One mutation of a query: wrong types, hostile names, SQL in every string field, deep or huge parts. */
export function mutateQuery(rng: Rng, vocab: QueryVocabulary, q: Record<string, unknown>): unknown {
  const mutations: (() => unknown)[] = [
    () => ({
      ...q,
      [rng.pick(['measures', 'dimensions', 'segments', 'timeDimensions', 'filters', 'order', 'limit', 'offset', 'timezone', 'total', 'ungrouped', 'renewQuery', 'responseFormat'])]: anyValue(
        rng,
        vocab,
      ),
    }),
    () => ({ ...q, measures: [anyString(rng, vocab)] }),
    () => ({ ...q, dimensions: [anyString(rng, vocab)] }),
    () => ({ ...q, segments: [anyString(rng, vocab)] }),
    () => ({ ...q, timezone: rng.pick([...SQL_FRAGMENTS, 'Asia/Tokyo', 'Mars/Olympus', 'UTC', '+09:00', '']) }),
    () => ({
      ...q,
      timeDimensions: [{ dimension: rng.pick([...vocab.timeDimensions, ...WEIRD_MEMBERS]), granularity: rng.chance(0.5) ? rng.pick(SQL_FRAGMENTS) : rng.pick(['day', 'week', 'fortnight', null]) }],
    }),
    () => ({
      ...q,
      timeDimensions: [
        {
          dimension: rng.pick(vocab.timeDimensions),
          dateRange: rng.pick<unknown>([
            [rng.pick(SQL_FRAGMENTS), '2024-12-31'],
            ['2024-01-01', rng.pick(SQL_FRAGMENTS)],
            rng.pick(SQL_FRAGMENTS),
            'last 7 days',
            'from 3 days ago to now',
            ['2024-02-30', '2024-03-01'],
            ['2024-13-01'],
            [],
            ['2024-01-01', '2024-01-02', '2024-01-03'],
            [1, 2],
            'not a date at all',
          ]),
        },
      ],
    }),
    () => ({ ...q, timeDimensions: [{ dimension: rng.pick(vocab.timeDimensions), granularity: 'month', compareDateRange: [['2024-01-01', rng.pick(SQL_FRAGMENTS)], 'last year'] }] }),
    () => ({
      ...q,
      filters: [
        {
          member: rng.pick([...vocab.dimensions, ...vocab.measures, ...WEIRD_MEMBERS]),
          operator: rng.chance(0.5) ? rng.pick(OPERATORS) : rng.pick(SQL_FRAGMENTS),
          values: [rng.pick([...SQL_FRAGMENTS, 'abc', '1e999', '2024-99-99'])],
        },
      ],
    }),
    () => ({
      ...q,
      filters: [
        { member: rng.pick(vocab.dimensions), operator: rng.pick(OPERATORS), values: rng.pick<unknown>([null, 'x', [1, 2], [null], [{}], [[]], Array.from({ length: 2000 }, (_, i) => `v${i}`)]) },
      ],
    }),
    () => ({
      ...q,
      filters: [{ dimension: rng.pick(vocab.timeDimensions), operator: rng.pick(['inDateRange', 'beforeDate', 'afterDate']), values: [rng.pick([...SQL_FRAGMENTS, 'abc', '2024-01-01'])] }],
    }),
    () => ({ ...q, filters: [deepFilter(1 + rng.int(40), goodFilter(rng, vocab))] }),
    () => ({ ...q, filters: Array.from({ length: rng.pick([50, 600, 3000]) }, () => goodFilter(rng, vocab)) }),
    () => ({ ...q, filters: [{ or: rng.pick<unknown>([null, 'x', {}, [null], [[]], [{ and: 'x' }]]) }] }),
    () => ({
      ...q,
      order: rng.pick<unknown>([
        { [rng.pick(SQL_FRAGMENTS)]: 'asc' },
        { [rng.pick(vocab.measures)]: rng.pick(SQL_FRAGMENTS) },
        [[rng.pick(WEIRD_MEMBERS), 'asc']],
        [['events.total']],
        [[1, 2]],
        'events.total desc',
        { __proto__: 'asc' },
        JSON.parse('{"__proto__":"asc"}'),
      ]),
    }),
    () => ({ ...q, limit: rng.pick<unknown>([1e9, 1e12, 1e308, -1, 0, 0.5, 2 ** 53, '10', '1; drop table events']) }),
    () => ({ ...q, offset: rng.pick<unknown>([1e9, 1e12, -1, 0.5, 2 ** 53, '10', "0' or 1=1"]) }),
    () => ({ ...q, responseFormat: rng.pick(['compact', 'default', 'csv', "compact'; --", 1]) }),
    () => ({ ...q, ungrouped: true, measures: [], dimensions: [rng.pick(vocab.dimensions)] }),
    () => Array.from({ length: rng.pick([2, 3, 80]) }, () => q),
    () => rng.pick(WRONG_VALUES),
    () => JSON.parse(`{"measures":["${rng.pick(vocab.measures)}"],"__proto__":{"measures":["people.email"]},"constructor":{"prototype":{"x":1}}}`),
  ];
  return rng.pick(mutations)();
}

/** Raw bodies that are not the JSON they claim to be. */
export function brokenJson(rng: Rng, valid: string): Buffer | string {
  return rng.pick<() => Buffer | string>([
    () => valid.slice(0, rng.int(valid.length)),
    () => valid.replace(/"/g, "'"),
    () => `${valid},`,
    () => `\ufeff${valid}`,
    () => Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0xc3, 0x28, 0xa0, 0xa1]),
    () => Buffer.concat([Buffer.from('{"query":"'), Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80]), Buffer.from('"}')]),
    () => 'null',
    () => '[]',
    () => '"just a string"',
    () => '{"query":' + '['.repeat(5000) + ']'.repeat(5000) + '}',
    () => '{"query":' + '{"a":'.repeat(3000) + '1' + '}'.repeat(3000) + '}',
    () => '',
    () => 'NaN',
  ])();
}

/** Authorization headers: good ones for several identities, and every way one can be wrong. */
export function authHeader(rng: Rng): string | undefined {
  return rng.pick<() => string | undefined>([
    () => tokenFor({ tenant_id: '*', role: 'admin' }),
    () => tokenFor({ tenant_id: 't01', role: 'marketer' }),
    () => tokenFor({ tenant_id: 't02', role: 'executive' }),
    () => tokenFor({ tenant_id: 't01', role: 'viewer' }),
    () => `Bearer ${tokenFor({ tenant_id: 't01', role: 'crm_manager' })}`,
    () => undefined,
    () => '',
    () => 'Bearer',
    () => 'Basic YWRtaW46YWRtaW4=',
    () => 'x'.repeat(20_000),
    () => 'a.b.c',
    () => tokenFor({ tenant_id: '*', role: 'admin' }, -60),
    () => jwt.sign({ tenant_id: '*', role: 'admin', aud: 'crm-api' }, 'another-secret-another-secret-0123456789'),
    () => `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"tenant_id":"*","role":"admin","aud":"crm-api"}').toString('base64url')}.`,
    () => jwt.sign({ tenant_id: ['t01', 't02'], role: 'marketer', aud: 'crm-api' }, TEST_SECRET),
    () => jwt.sign({ tenant_id: "t01' or '1'='1", role: 'marketer', aud: 'crm-api' }, TEST_SECRET),
    () => jwt.sign({ tenant_id: 't01', role: { admin: true }, aud: 'crm-api' }, TEST_SECRET),
    () => jwt.sign({ tenant_id: 't01', role: '__proto__', aud: 'crm-api' }, TEST_SECRET),
    () => jwt.sign({ tenant_id: '*', role: 'marketer', aud: 'crm-api' }, TEST_SECRET),
    () => jwt.sign({ role: 'admin', aud: 'crm-api' }, TEST_SECRET),
    () => jwt.sign({ tenant_id: '*', role: 'admin' }, TEST_SECRET, { algorithm: 'HS512' }),
  ])();
}

/** Content types, charsets and encodings, mostly wrong. */
export function bodyHeaders(rng: Rng): Record<string, string> {
  return rng.pick<() => Record<string, string>>([
    () => ({ 'Content-Type': 'application/json' }),
    () => ({ 'Content-Type': 'application/json; charset=utf-8' }),
    () => ({ 'Content-Type': 'application/json; charset=latin-9' }),
    () => ({ 'Content-Type': 'application/json; charset=utf-16' }),
    () => ({ 'Content-Type': 'application/json; charset=x-nonsense' }),
    () => ({ 'Content-Type': 'text/plain' }),
    () => ({ 'Content-Type': 'application/x-www-form-urlencoded' }),
    () => ({ 'Content-Type': 'multipart/form-data; boundary=xyz' }),
    () => ({ 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }),
    () => ({ 'Content-Type': 'application/json', 'Content-Encoding': 'br' }),
    () => ({ 'Content-Type': 'application/json', 'Content-Encoding': 'x-unknown' }),
    () => ({ 'Content-Type': '' }),
    () => ({ 'Content-Type': ';;;' }),
    () => ({}),
  ])();
}

export { gzipSync };
