import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { importTenant, seedWarehouse } from '../../seeds/pipeline.js';
import { REPO_ROOT } from '../../lib/paths.js';
import { queryDuckDBFile, tempDir } from '../support/duckdbFile.js';

// The one data-in pipeline (seeds/pipeline.ts) that npm run seed, npm run import, the first
// npm start and the server's import route all call: rows in, then CLV fitted, then the data
// version marked, in that order, over a real DuckDB file.
const tmp = tempDir();
afterAll(() => tmp.remove());
const warehouse = path.join(tmp.dir, 'warehouse.duckdb');
const CDNOW = path.join(REPO_ROOT, 'test/seeds/import-files/cdnow.txt');
const predictions = async (tenant: string) => Number((await queryDuckDBFile(warehouse, `SELECT count(*) AS n FROM customer_predictions WHERE tenant_id = '${tenant}'`))[0].n);
const cdnowImport = { format: 'cdnow', file: CDNOW, tenant: 'cd', warehouse, maxRejected: { share: 0.5 } } as const;

describe('seedWarehouse: generate, fit every tenant, mark', () => {
  const steps: string[] = [];
  let predictedWhenMarked = 0;

  beforeAll(async () => {
    await seedWarehouse(
      { out: warehouse, customers: 200, tenants: 1, years: 1, seed: 7 },
      (line) => steps.push(`fit: ${line.trim().split(':')[0]}`),
      async () => {
        predictedWhenMarked = await predictions('t01');
        steps.push('mark');
      },
    );
  }, 120_000);

  it('fits the one tenant generated, then marks the data version with its predictions already written', () => {
    expect(steps).toEqual(['fit: predicted CLV t01', 'mark']);
    expect(predictedWhenMarked).toBeGreaterThan(0);
  });

  it('imports one tenant beside it and fits only that tenant, after saying the rows are written', async () => {
    const events: string[] = [];
    const report = await importTenant(cdnowImport, {
      log: (line) => events.push(line.trim()),
      onWritten: (written) => events.push(`written ${written.rows_imported}`),
    });
    // cdnow.txt: 11 data lines, 4 that cannot be read (import.test.ts), 7 orders of 4 customers;
    // four members are fewer than the fit's 10, so the fit says so and the import stands.
    expect(report.rows_imported).toBe(7);
    expect(events).toEqual(['written 7', expect.stringMatching(/^predicted CLV cd: not fitted \(Tenant cd has 4 members/)]);
    expect(await predictions('t01')).toBeGreaterThan(0);
  });

  it('throws a failed mark by default, after the rows are committed', async () => {
    const failing = () => Promise.reject(new Error('caches not renewed'));
    await expect(importTenant(cdnowImport, { log: () => {}, markDataVersion: failing })).rejects.toThrow('caches not renewed');
    expect(Number((await queryDuckDBFile(warehouse, `SELECT count(*) AS n FROM orders WHERE tenant_id = 'cd'`))[0].n)).toBe(7);
  });

  it('hands a failed mark to onStepFailed and still returns the report, for a caller whose rows must stand', async () => {
    const failed: string[] = [];
    const report = await importTenant(cdnowImport, {
      log: () => {},
      markDataVersion: () => Promise.reject(new Error('caches not renewed')),
      onStepFailed: (step, e) => failed.push(`${step}: ${(e as Error).message}`),
    });
    expect(failed).toEqual(['mark: caches not renewed']);
    expect(report.rows_imported).toBe(7);
  });
});
