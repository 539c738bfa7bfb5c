import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../cube/server.js';
import { fitEveryTenant } from '../../seeds/clv/fitTenant.js';
import { generateWarehouse } from '../../seeds/generate.js';
import { loadIntoPostgres } from '../../seeds/postgresLoader.js';
import { loadRows, TEST_SECRET } from '../support/apiClient.js';
import { tempDir } from '../support/duckdbFile.js';
import { startTestPostgres } from '../support/postgres.js';
import { TEST_WAREHOUSE } from '../support/warehouses.js';

// The predicted-CLV views (customers at risk, the holdout check) and data_coverage give the same
// numbers on DuckDB and on Postgres loaded with the same rows, after the CLV fit.
const tmp = tempDir('crm-clv-pg-');
const file = path.join(tmp.dir, 'warehouse.duckdb');
let duckdb: RunningServer;
let postgres: RunningServer;
let stopPostgres = async () => {};

beforeAll(async () => {
  await generateWarehouse({ out: file, ...TEST_WAREHOUSE });
  await fitEveryTenant(file, () => {});
  const pg = await startTestPostgres();
  stopPostgres = () => pg.stop();
  await loadIntoPostgres(file, pg.url);
  const options = { apiSecret: TEST_SECRET, port: 0, webDist: null, refreshIntervalSeconds: 0 };
  duckdb = await startServer({ warehouse: file, ...options });
  postgres = await startServer({ warehouse: pg.url, ...options });
}, 300_000);
afterAll(async () => {
  await duckdb?.close();
  await postgres?.close();
  await stopPostgres();
  tmp.remove();
});

/** Rows with numbers as numbers (the drivers send decimals as strings or numbers), rounded to 6 decimals. */
const numeric = (rows: Record<string, unknown>[]) =>
  rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'boolean' || v === null || Number.isNaN(Number(v)) ? v : Number(Number(v).toFixed(6))])));

const QUERIES = {
  'customers at risk by tenant': {
    measures: ['customer_segments.segment_size', 'customer_segments.predicted_clv_total'],
    dimensions: ['customer_segments.tenant_id', 'customer_segments.at_risk'],
    order: { 'customer_segments.tenant_id': 'asc', 'customer_segments.at_risk': 'asc' },
  },
  'at-risk members': {
    dimensions: ['customer_segments.customer_id', 'customer_segments.member_p_alive', 'customer_segments.member_predicted_clv'],
    filters: [{ member: 'customer_segments.at_risk', operator: 'equals', values: ['true'] }],
    order: { 'customer_segments.customer_id': 'asc' },
  },
  'cumulative tracking per week': {
    measures: ['clv_tracking.cumulative_actual_repeat_purchases', 'clv_tracking.cumulative_expected_repeat_purchases', 'clv_tracking.members'],
    dimensions: ['clv_tracking.tenant_id', 'clv_tracking.week', 'clv_tracking.in_holdout'],
    order: { 'clv_tracking.tenant_id': 'asc', 'clv_tracking.week': 'asc' },
    limit: 10000,
  },
  'holdout purchases per member by calibration purchases': {
    measures: ['clv_holdout_groups.actual_per_customer', 'clv_holdout_groups.expected_per_customer', 'clv_holdout_groups.members'],
    dimensions: ['clv_holdout_groups.tenant_id', 'clv_holdout_groups.calibration_purchases'],
    order: { 'clv_holdout_groups.tenant_id': 'asc', 'clv_holdout_groups.calibration_purchases': 'asc' },
  },
  'data coverage': {
    measures: ['data_coverage.campaigns', 'data_coverage.tier_records', 'data_coverage.inquiries'],
    dimensions: ['data_coverage.tenant_id'],
    order: { 'data_coverage.tenant_id': 'asc' },
  },
};

describe('predicted-CLV views on DuckDB and Postgres', () => {
  for (const [name, query] of Object.entries(QUERIES)) {
    it(`${name}: the same rows`, async () => {
      const [onDuckdb, onPostgres] = await Promise.all([loadRows(duckdb.url, query), loadRows(postgres.url, query)]);
      expect(onDuckdb.length).toBeGreaterThan(0);
      expect(numeric(onPostgres)).toEqual(numeric(onDuckdb));
    });
  }
});
