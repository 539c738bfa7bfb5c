import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { startServer, type RunningServer } from '../../cube/server.js';
import { loadRows, TEST_SECRET } from '../support/apiClient.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { EVENTS_SQL, FIXTURE_MODEL } from './fixtures.js';

// The DuckDB driver + dialect, through the real Cube API, on the five events of fixtures.ts.
let server: RunningServer;
const tmp = tempDir();

beforeAll(async () => {
  const file = path.join(tmp.dir, 'events.duckdb');
  await createDuckDBFile(file, EVENTS_SQL);
  server = await startServer({ warehouse: file, apiSecret: TEST_SECRET, port: 0, modelPath: FIXTURE_MODEL, webDist: null, refreshIntervalSeconds: 0 });
});
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

const ids = async (query: object) => (await loadRows(server.url, { dimensions: ['events.id'], order: { 'events.id': 'asc' }, ...query })).map((r) => Number(r['events.id']));

describe('time granularities', () => {
  // Expected buckets worked out by hand from the five timestamps (weeks start on Monday).
  const cases: Record<string, Record<string, string>> = {
    year: { '2024-01-01T00:00:00.000': '4', '2025-01-01T00:00:00.000': '1' },
    quarter: { '2024-01-01T00:00:00.000': '3', '2024-04-01T00:00:00.000': '1', '2025-01-01T00:00:00.000': '1' },
    month: { '2024-01-01T00:00:00.000': '2', '2024-02-01T00:00:00.000': '1', '2024-04-01T00:00:00.000': '1', '2025-01-01T00:00:00.000': '1' },
    week: { '2024-01-15T00:00:00.000': '1', '2024-01-29T00:00:00.000': '2', '2024-04-08T00:00:00.000': '1', '2024-12-30T00:00:00.000': '1' },
    day: { '2024-01-15T00:00:00.000': '1', '2024-01-31T00:00:00.000': '1', '2024-02-01T00:00:00.000': '1', '2024-04-10T00:00:00.000': '1', '2025-01-01T00:00:00.000': '1' },
    hour: { '2024-01-15T08:00:00.000': '1', '2024-01-31T23:00:00.000': '1', '2024-02-01T00:00:00.000': '1', '2024-04-10T12:00:00.000': '1', '2025-01-01T00:00:00.000': '1' },
    minute: { '2024-01-15T08:30:00.000': '1', '2024-01-31T23:59:00.000': '1', '2024-02-01T00:00:00.000': '1', '2024-04-10T12:00:00.000': '1', '2025-01-01T00:00:00.000': '1' },
    second: { '2024-01-15T08:30:00.000': '1', '2024-01-31T23:59:59.000': '1', '2024-02-01T00:00:00.000': '1', '2024-04-10T12:00:00.000': '1', '2025-01-01T00:00:00.000': '1' },
  };
  for (const [granularity, expected] of Object.entries(cases)) {
    it(`buckets by ${granularity}`, async () => {
      const rows = await loadRows(server.url, {
        measures: ['events.count'],
        timeDimensions: [{ dimension: 'events.happened_at', granularity }],
        order: { 'events.happened_at': 'asc' },
      });
      expect(Object.fromEntries(rows.map((r) => [r[`events.happened_at.${granularity}`], r['events.count']]))).toEqual(expected);
    });
  }

  it('buckets a DATE column too', async () => {
    const rows = await loadRows(server.url, { measures: ['events.count'], timeDimensions: [{ dimension: 'events.day', granularity: 'year' }], order: { 'events.day': 'asc' } });
    expect(rows.map((r) => [r['events.day.year'], r['events.count']])).toEqual([
      ['2024-01-01T00:00:00.000', '4'],
      ['2025-01-01T00:00:00.000', '1'],
    ]);
  });

  it('reads timestamps the same in every query time zone setting of the process', async () => {
    // The warehouse holds local time; a January date range must include 23:59:59 on the 31st.
    expect(await ids({ timeDimensions: [{ dimension: 'events.happened_at', dateRange: ['2024-01-01', '2024-01-31'] }] })).toEqual([1, 2]);
  });
});

describe('filters bind their values', () => {
  it('equals a value with a quote in it', async () => {
    expect(await ids({ filters: [{ member: 'events.label', operator: 'equals', values: ["O'Brien"] }] })).toEqual([2]);
  });

  it('treats an injection attempt as a plain string', async () => {
    expect(await ids({ filters: [{ member: 'events.label', operator: 'equals', values: ["x' OR '1'='1"] }] })).toEqual([]);
  });

  it('contains / notContains / startsWith / endsWith', async () => {
    expect(await ids({ filters: [{ member: 'events.label', operator: 'contains', values: ['AN'] }] })).toEqual([4]);
    expect(await ids({ filters: [{ member: 'events.label', operator: 'notContains', values: ['a'] }] })).toEqual([2, 3, 5]);
    expect(await ids({ filters: [{ member: 'events.label', operator: 'startsWith', values: ['app'] }] })).toEqual([1]);
    expect(await ids({ filters: [{ member: 'events.label', operator: 'endsWith', values: ['cotton'] }] })).toEqual([3]);
    // '%' is a literal here, not a LIKE wildcard.
    expect(await ids({ filters: [{ member: 'events.label', operator: 'contains', values: ['%'] }] })).toEqual([3]);
  });

  it('set / notSet / notEquals', async () => {
    expect(await ids({ filters: [{ member: 'events.label', operator: 'notSet' }] })).toEqual([5]);
    expect(await ids({ filters: [{ member: 'events.label', operator: 'set' }] })).toEqual([1, 2, 3, 4]);
    expect(await ids({ filters: [{ member: 'events.label', operator: 'notEquals', values: ['apple'] }] })).toEqual([2, 3, 4, 5]);
  });

  it('compares numbers as numbers', async () => {
    // 100.25, 200 and 1000 are > 100; "1000" < "200" as strings, so a text comparison would differ.
    expect(await ids({ filters: [{ member: 'events.amount', operator: 'gt', values: ['100'] }] })).toEqual([1, 2, 4]);
    expect(await ids({ filters: [{ member: 'events.amount', operator: 'lte', values: ['50.5'] }] })).toEqual([3, 5]);
  });

  it('filters on measures (HAVING)', async () => {
    const rows = await loadRows(server.url, {
      measures: ['events.total'],
      dimensions: ['events.tenant_id'],
      filters: [{ member: 'events.total', operator: 'gt', values: ['500'] }],
    });
    expect(rows).toEqual([{ 'events.tenant_id': 't02', 'events.total': '1000.05' }]);
  });

  it('before / after dates', async () => {
    expect(await ids({ filters: [{ member: 'events.happened_at', operator: 'beforeDate', values: ['2024-02-01'] }] })).toEqual([1, 2]);
    expect(await ids({ filters: [{ member: 'events.happened_at', operator: 'afterDate', values: ['2024-04-10T12:00:00'] }] })).toEqual([5]);
  });
});

describe('result types', () => {
  it('returns exact decimals, counts and big integers as strings', async () => {
    const [row] = await loadRows(server.url, { measures: ['events.total', 'events.count', 'events.distinct_labels', 'events.big_total', 'events.avg_amount'] });
    // 100.25 + 200 + 50.50 + 1000 + 0.05 = 1350.80; 9007199254740993 + 4 is past 2^53, so it must not go through a double.
    expect(row).toEqual({
      'events.total': '1350.8',
      'events.count': '5',
      'events.distinct_labels': '4',
      'events.big_total': '9007199254740997',
      'events.avg_amount': '270.16',
    });
  });

  it('returns booleans and NULLs as such in ungrouped rows', async () => {
    const rows = await loadRows(server.url, { dimensions: ['events.id', 'events.flag', 'events.label'], ungrouped: true, order: { 'events.id': 'asc' } });
    expect(rows.map((r) => [r['events.flag'], r['events.label']])).toEqual([
      [true, 'apple'],
      [false, "O'Brien"],
      [true, '100% cotton'],
      [null, 'banana'],
      [true, null],
    ]);
  });
});
