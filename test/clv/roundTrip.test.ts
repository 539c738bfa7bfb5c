import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../cube/server.js';
import { importFile } from '../../seeds/import/importFile.js';
import { loadRows, TEST_SECRET } from '../support/apiClient.js';
import { queryDuckDBFile, tempDir } from '../support/duckdbFile.js';

const SAMPLE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/cdnow/cdnow_sample.txt');
const tmp = tempDir('crm-clv-');
const warehouse = path.join(tmp.dir, 'cdnow.duckdb');
afterAll(() => tmp.remove());

describe('import cdnow → npm run clv → customer_predictions', () => {
  it('reproduces the published fit from the raw transactions and writes one prediction per member', async () => {
    await importFile({ format: 'cdnow', file: SAMPLE, tenant: 'cdnow', warehouse });
    const { stdout } = await promisify(execFile)('npx', [
      'tsx',
      'seeds/clv/cli.ts',
      '--warehouse',
      warehouse,
      '--tenant',
      'cdnow',
      '--calibration-end',
      '1997-09-30',
      '--unit',
      'week',
      '--horizon',
      '12m',
      '--json',
    ]);
    const fit = JSON.parse(stdout);
    // Same-day purchases merged, weeks from the first purchase: the paper's x, t_x, T (±1 %).
    for (const [name, published] of Object.entries({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, p: 6.25, q: 3.74, gamma: 15.44 })) {
      expect(Math.abs(fit[name] / published - 1), name).toBeLessThanOrEqual(0.01);
    }
    expect(fit.loglik).toBeCloseTo(-9582.4, 0);
    expect(fit).toMatchObject({ customers: 2357, repeatBuyers: 946, calibrationEnd: '1997-09-30', horizonDays: 365 });

    const [summary] = await queryDuckDBFile(
      warehouse,
      `SELECT count(*) AS members, count(DISTINCT customer_id) AS distinct_members,
        min(p_alive) >= 0 AND max(p_alive) <= 1 AS p_alive_in_range,
        -- CLV = expected purchases × expected spend, up to the stored columns' rounding.
        bool_and(abs(predicted_clv_12m - expected_purchases_12m * expected_avg_spend) <= 0.01 + 0.005 * expected_purchases_12m) AS clv_is_product
      FROM customer_predictions WHERE tenant_id = 'cdnow'`,
    );
    expect(summary).toEqual({ members: '2357', distinct_members: '2357', p_alive_in_range: true, clv_is_product: true });
    // Master customer 4 is sample customer 1 (x = 2, t_x = 30.43, T = 38.86): P(alive) 0.73 (FHL 2005).
    const [first] = await queryDuckDBFile(
      warehouse,
      `SELECT p.p_alive, p.expected_purchases_12m FROM customer_predictions p
      JOIN source_keys k ON k.entity = 'customer' AND k.id = p.customer_id WHERE k.source_key = '4'`,
    );
    expect(Number(first.p_alive)).toBeCloseTo(0.73, 2);
    const [fits] = await queryDuckDBFile(warehouse, "SELECT count(*) AS n, any_value(time_unit) AS unit FROM clv_fits WHERE tenant_id = 'cdnow'");
    expect(fits).toEqual({ n: '1', unit: 'week' });
  }, 120_000);

  it('serves predicted_clv and p_alive through customer_segments, equal to the table', async () => {
    const server = await startServer({ warehouse, apiSecret: TEST_SECRET, port: 0, webDist: null, refreshIntervalSeconds: 0 });
    try {
      const [api] = await loadRows(server.url, {
        measures: ['customer_segments.predicted_clv', 'customer_segments.p_alive', 'customer_segments.segment_size'],
        filters: [{ member: 'customer_segments.tenant_id', operator: 'equals', values: ['cdnow'] }],
      });
      const [sql] = await queryDuckDBFile(warehouse, "SELECT avg(predicted_clv_12m) AS clv, avg(p_alive) AS alive, count(*) AS n FROM customer_predictions WHERE tenant_id = 'cdnow'");
      expect(Number(api['customer_segments.predicted_clv'])).toBeCloseTo(Number(sql.clv), 6);
      expect(Number(api['customer_segments.p_alive'])).toBeCloseTo(Number(sql.alive), 6);
      expect(Number(api['customer_segments.segment_size'])).toBe(Number(sql.n));
    } finally {
      await server.close();
    }
  }, 120_000);
});
