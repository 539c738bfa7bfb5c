import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { startServer, type RunningServer } from '../../cube/server.js';
import { ADMIN_TOKEN, loadRows, TEST_SECRET } from '../support/apiClient.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { EVENTS_SQL, FIXTURE_MODEL } from './fixtures.js';

/*
 * Issue 19, item 13: a query nested 100,000 levels deep (586 KB) answered 500, a stack overflow
 * in code that walks the query recursively (the /load poll key's JSON.stringify, Cube's own
 * validation). A query nested deeper than 64 levels of arrays and objects, in any field, is now
 * refused with 400 before anything walks it; the shape checks that came before keep their more
 * specific messages. Before the fix, /load answered 500 for the nesting in filter values, order,
 * limit and an unknown field (the and/or, dateRange and multi-query cases were already 400).
 */
const tmp = tempDir();
let server: RunningServer;

beforeAll(async () => {
  const file = path.join(tmp.dir, 'w.duckdb');
  await createDuckDBFile(file, EVENTS_SQL);
  // Saved charts on: the chart routes take queries too.
  const charts = true;
  server = await startServer({ warehouse: file, apiSecret: TEST_SECRET, port: 0, modelPath: FIXTURE_MODEL, webDist: null, refreshIntervalSeconds: 0, charts });
});
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

const LEVELS = 100_000;
const LEAF = '{"member":"events.label","operator":"set"}';
/** `n` levels of and/or around one filter. */
const deepFilter = (n: number) => '{"and":[{"or":['.repeat(n / 2) + LEAF + ']}]}'.repeat(n / 2);
/** `n` levels of arrays, or of objects, around a value. */
const deepArray = (n: number, inner = '1') => '['.repeat(n) + inner + ']'.repeat(n);
const deepObject = (n: number, inner = '1') => '{"a":'.repeat(n) + inner + '}'.repeat(n);

const TOO_DEEP = 'Malformed query: JSON nested too deeply (at most 64 levels).';
/** Queries (JSON text) with the nesting in a different field each time, and the 400 each gets. */
const DEEP_QUERIES: [field: string, query: string, error: string][] = [
  ['and/or filters', `{"measures":["events.total"],"filters":[${deepFilter(LEVELS)}]}`, 'Malformed query: filters nested too deeply (at most 10 levels of "and"/"or").'],
  ['filter values', `{"measures":["events.total"],"filters":[{"member":"events.label","operator":"equals","values":${deepArray(LEVELS, '"x"')}}]}`, TOO_DEEP],
  ['order', `{"measures":["events.total"],"order":${deepArray(LEVELS)}}`, TOO_DEEP],
  ['limit', `{"measures":["events.total"],"limit":${deepObject(LEVELS)}}`, TOO_DEEP],
  ['an unknown field', `{"measures":["events.total"],"extra":${deepObject(LEVELS)}}`, TOO_DEEP],
  [
    'dateRange',
    `{"measures":["events.total"],"timeDimensions":[{"dimension":"events.happened_at","dateRange":${deepArray(LEVELS, '"2024-01-01"')}}]}`,
    'Malformed query: "dateRange" must be two dates like ["2024-01-01", "2024-01-31"] (or a relative range such as "last 7 days").',
  ],
  ['the query itself (multi-query)', deepArray(LEVELS, '{"measures":["events.total"]}'), 'Malformed query: each query of a multi-query request must be a JSON object.'],
];

async function send(method: 'GET' | 'POST', route: string, body?: string): Promise<{ status: number; body: any }> {
  const headers = { Authorization: ADMIN_TOKEN(), 'Content-Type': 'application/json' };
  const res = await fetch(`${server.url}${route}`, { method, headers, body });
  return { status: res.status, body: await res.json() };
}

describe(`a query nested ${LEVELS.toLocaleString('en')} levels`, () => {
  it('of objects is 586 KB, as in the issue', () => {
    expect(Math.round(deepObject(LEVELS).length / 1024)).toBe(586);
  });

  for (const [field, query, error] of DEEP_QUERIES) {
    it(`in ${field}: POST /load, /sql, /dry-run and /api/charts answer 400`, async () => {
      for (const route of ['/cubejs-api/v1/load', '/cubejs-api/v1/sql', '/cubejs-api/v1/dry-run']) {
        expect([route, await send('POST', route, `{"query":${query}}`)]).toEqual([route, { status: 400, body: { error } }]);
      }
      const chart = await send('POST', '/api/charts', `{"title":"deep","chartType":"bar","query":${query}}`);
      expect(chart).toEqual({ status: 400, body: { error } });
    });
  }

  it('in a GET query string is over the 16 KB header limit: 431', async () => {
    const res = await send('GET', `/cubejs-api/v1/load?query=${encodeURIComponent(`{"measures":["events.total"],"order":${deepArray(LEVELS)}}`)}`);
    expect(res.status).toBe(431);
  });

  it('2,000 levels fit a GET query string (12 KB) and get the same 400; 64 levels are not refused as too deep', async () => {
    const get = (query: string) => send('GET', `/cubejs-api/v1/load?query=${encodeURIComponent(query)}`);
    expect(await get(`{"measures":["events.total"],"order":${deepArray(2_000)}}`)).toEqual({ status: 400, body: { error: TOO_DEEP } });
    expect(await get(`{"measures":["events.total"],"filters":[{"member":"events.label","operator":"equals","values":${deepArray(2_000, '"x"')}}]}`)).toEqual({
      status: 400,
      body: { error: TOO_DEEP },
    });
    // The query object is level 1, so "extra" holds 63 more: Cube's own validation answers (the field is unknown).
    const atLimit = await get(`{"measures":["events.total"],"extra":${deepObject(63)}}`);
    expect(atLimit).toEqual({ status: 400, body: { error: 'Invalid query format: "extra" is not allowed' } });
    const overLimit = await get(`{"measures":["events.total"],"extra":${deepObject(64)}}`);
    expect(overLimit).toEqual({ status: 400, body: { error: TOO_DEEP } });
  });

  it('keeps the server serving afterwards', async () => {
    // EVENTS_SQL: 100.25 + 200.00 + 50.50 + 1000.00 + 0.05.
    expect(await loadRows(server.url, { measures: ['events.total'] })).toEqual([{ 'events.total': '1350.8' }]);
  });
});
