import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { startServer, type RunningServer } from '../../cube/server.js';
import { checkImportParameters } from '../../seeds/import/importParameters.js';
import { loadRows, TEST_SECRET, tokenFor } from '../support/apiClient.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { HAND_FIXTURE_SQL } from './fixture.js';

/*
 * Dormancy is a tenant setting (issue 20 item 11): tenants.dormancy_days, 180 unless set, drives
 * is_dormant, dormant customers and churn at ref and at each month end; the board can show it
 * (dormancy_days), and purchase_gaps suggests a value from the days between purchase days.
 * The hand fixture (fixture.ts, ref 2026-06-30), last order day of each buyer:
 *   c1 06-20, c2 03-01, c3 01-20, c4 06-25, c5 03-10, c6 06-10, c7 03-20, c8 06-30, c9 06-05, c10 05-01, c12 2025-12-20.
 */
const tmp = tempDir();
const servers: Record<'standard' | 'ninety', RunningServer> = {} as never;

beforeAll(async () => {
  for (const [name, sql] of [
    ['standard', HAND_FIXTURE_SQL],
    ['ninety', `${HAND_FIXTURE_SQL}\nUPDATE tenants SET dormancy_days = 90;`],
  ] as const) {
    const file = path.join(tmp.dir, `${name}.duckdb`);
    await createDuckDBFile(file, sql);
    servers[name] = await startServer({ warehouse: file, apiSecret: TEST_SECRET, port: 0, webDist: null, refreshIntervalSeconds: 0 });
  }
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.close()));
  tmp.remove();
});

const atRef = async (server: RunningServer) =>
  (await loadRows(server.url, { measures: ['customer_segments.dormant_customers', 'customer_segments.churn_rate', 'customer_segments.dormancy_days'] }))[0];

describe('dormancy per tenant', () => {
  it('is 180 days unless the tenant sets another: at ref only c12 (192 days) is dormant, 1 of 11 buyers', async () => {
    const row = await atRef(servers.standard);
    expect(Number(row['customer_segments.dormancy_days'])).toBe(180);
    expect(Number(row['customer_segments.dormant_customers'])).toBe(1);
    expect(Number(row['customer_segments.churn_rate'])).toBeCloseTo(1 / 11, 9);
  });

  it('at 90 days: c2 (121 days), c3 (161), c5 (112), c7 (102) and c12 are dormant at ref, 5 of 11', async () => {
    const row = await atRef(servers.ninety);
    expect(Number(row['customer_segments.dormancy_days'])).toBe(90);
    expect(Number(row['customer_segments.dormant_customers'])).toBe(5);
    expect(Number(row['customer_segments.churn_rate'])).toBeCloseTo(5 / 11, 9);
  });

  it('is a setting, not a figure about customers: a marketer reads it exactly, without the noise customer figures carry', async () => {
    const marketer = tokenFor({ tenant_id: 't01', role: 'marketer' });
    const [row] = await loadRows(servers.ninety.url, { measures: ['customer_segments.dormancy_days'] }, marketer);
    expect(row['customer_segments.dormancy_days']).toBe('90');
  });

  it('at each month end too: on 2026-05-31 (10 buyers) c1, c2, c3, c4 and c12 have no order since 03-02 at 90 days; none is 180 days silent', async () => {
    const may = async (server: RunningServer) =>
      Number(
        (
          await loadRows(server.url, {
            measures: ['customer_health.churn_rate'],
            timeDimensions: [{ dimension: 'customer_health.month', granularity: 'month', dateRange: ['2026-05-01', '2026-05-31'] }],
          })
        )[0]['customer_health.churn_rate'],
      );
    expect(await may(servers.ninety)).toBeCloseTo(0.5, 9);
    expect(await may(servers.standard)).toBe(0);
  });
});

describe('the days between purchases suggest a threshold', () => {
  it('gives the median, the 90th percentile and the suggested threshold of the fixture gaps', async () => {
    // Gaps between consecutive purchase days: c1 31, 130; c2 45; c4 140; c6 26, 30, 31; c8 41; c10 116
    // -> sorted 26 30 31 31 41 45 116 130 140: median 41; 90th percentile 130 + 0.2 × (140 - 130) = 132
    // (continuous, position 0.9 × 8 = 7.2); suggested: 132 rounded up to a multiple of 30 = 150.
    const [row] = await loadRows(servers.standard.url, {
      measures: ['dormancy_suggestion.repeat_buyers', 'dormancy_suggestion.median_gap_days', 'dormancy_suggestion.gap_days_p90', 'dormancy_suggestion.suggested_dormancy_days'],
    });
    // Repeat buyers c1 c2 c4 c6 c8 c10.
    expect(Object.values(row).map(Number)).toEqual([6, 41, 132, 150]);
  });

  it('spreads them over bands', async () => {
    const rows = await loadRows(servers.standard.url, { measures: ['purchase_gaps.repeat_purchases'], dimensions: ['purchase_gaps.gap_band'], order: { 'purchase_gaps.gap_band': 'asc' } });
    // Up to 30: 26, 30; 31-60: 31, 31, 41, 45; 91-180: 116, 130, 140 (9 repeat purchases).
    expect(rows.map((r) => [r['purchase_gaps.gap_band'], Number(r['purchase_gaps.repeat_purchases'])])).toEqual([
      ['d000_030', 2],
      ['d031_060', 4],
      ['d091_180', 3],
    ]);
  });
});

describe('the import sets it', () => {
  it('takes --dormancy-days from 30 to 730 and refuses anything else, naming the option', () => {
    const base = { format: 'cdnow', tenant: 'cd' } as const;
    expect(checkImportParameters({ ...base, 'dormancy-days': '60' }).dormancyDays).toBe(60);
    expect(checkImportParameters(base).dormancyDays).toBeUndefined();
    for (const wrong of ['29', '731', '6o', '-90']) {
      expect(() => checkImportParameters({ ...base, 'dormancy-days': wrong })).toThrow(`--dormancy-days must be a number of days from 30 to 730 (default 180), got "${wrong}".`);
    }
  });
});
