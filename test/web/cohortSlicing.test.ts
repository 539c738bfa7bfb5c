import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cohortMatrixSql, EXTRACT_TABLE } from '../../web/src/cohorts/slicing/cohortMatrixSql.js';
import { loadRows, tokenFor } from '../support/apiClient.js';
import { startDuckDBWasm } from '../support/duckdbWasm.js';
import { serveGeneratedWarehouse, type ServedWarehouse } from '../support/warehouses.js';

// The browser's slicing: the extract served under a token, sliced by DuckDB-WASM (Node build),
// gives the cohort matrix the API gives for the same filter.
let w: ServedWarehouse;
let wasm: Awaited<ReturnType<typeof startDuckDBWasm>>;
const token = tokenFor({ tenant_id: 't01', role: 'crm_manager' });

beforeAll(async () => {
  w = await serveGeneratedWarehouse('duckdb');
  wasm = await startDuckDBWasm();
  const res = await fetch(`${w.server.url}/api/extracts/cohort-activity`, { headers: { Authorization: token } });
  expect(res.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
  wasm.loadArrow(EXTRACT_TABLE, new Uint8Array(await res.arrayBuffer()));
});
afterAll(async () => {
  wasm?.close();
  await w?.stop();
});

describe('cohort slicing in DuckDB-WASM', () => {
  it('holds only the token\'s tenant', async () => {
    const [api] = await loadRows(w.server.url, { measures: ['cohorts.retained_customers'] }, token);
    const [local] = wasm.rows(`SELECT count(*) AS n FROM ${EXTRACT_TABLE}`);
    // One extract row per member-month with an order = retained (active) member-months.
    expect(Number(local.n)).toBe(Number(api['cohorts.retained_customers']));
  });

  for (const slice of [{}, { signup_channel: 'store' }, { region: 'Kanto', age_band: '40s' }, { tier: 'silver' }]) {
    it(`matches the API for ${JSON.stringify(slice)}`, async () => {
      const filters = Object.entries(slice).map(([d, v]) => ({ member: `cohorts.${d}`, operator: 'equals', values: [v] }));
      const api = await loadRows(w.server.url, {
        measures: ['cohorts.cohort_retention', 'cohorts.revenue_retention', 'cohorts.cumulative_ltv'], dimensions: ['cohorts.month_offset'],
        timeDimensions: [{ dimension: 'cohorts.cohort_month', granularity: 'month' }], filters, order: [['cohorts.cohort_month', 'asc'], ['cohorts.month_offset', 'asc']], limit: 50000,
      }, token);
      const local = wasm.rows(cohortMatrixSql(slice));
      expect(local.length).toBe(api.length);
      local.forEach((cell, i) => {
        const row = api[i];
        expect(cell.cohort_month).toBe(String(row['cohorts.cohort_month.month']).slice(0, 10));
        expect(Number(cell.month_offset)).toBe(Number(row['cohorts.month_offset']));
        expect(Number(cell.retention)).toBeCloseTo(Number(row['cohorts.cohort_retention']), 9);
        expect(Number(cell.cumulative_ltv)).toBeCloseTo(Number(row['cohorts.cumulative_ltv']), 4);
        if (row['cohorts.revenue_retention'] !== null) expect(Number(cell.revenue_retention)).toBeCloseTo(Number(row['cohorts.revenue_retention']), 9);
      });
    });
  }
});
