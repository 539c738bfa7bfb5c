import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cohortMatrixSql, EXTRACT_TABLE, type Slice } from '../../web/src/cohorts/slicing/cohortMatrixSql.js';
import { loadRows, tokenFor } from '../support/apiClient.js';
import { startDuckDBWasm } from '../support/duckdbWasm.js';
import { serveGeneratedWarehouse, type ServedWarehouse } from '../support/warehouses.js';

// The browser's slicing: the extract served under a token, sliced by DuckDB-WASM (Node build),
// gives the cohort matrix the API gives for the same filter, and hides the same small cohorts.
type Wasm = Awaited<ReturnType<typeof startDuckDBWasm>>;
let w: ServedWarehouse;
const roles = {
  manager: { token: tokenFor({ tenant_id: 't01', role: 'crm_manager' }), wasm: null as unknown as Wasm, minGroupSize: 0 },
  marketer: { token: tokenFor({ tenant_id: 't01', role: 'marketer' }), wasm: null as unknown as Wasm, minGroupSize: 0 },
};

beforeAll(async () => {
  w = await serveGeneratedWarehouse('duckdb');
  for (const role of Object.values(roles)) {
    role.wasm = await startDuckDBWasm();
    const res = await fetch(`${w.server.url}/api/extracts/cohort-activity`, { headers: { Authorization: role.token } });
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    role.minGroupSize = Number(res.headers.get('X-Min-Group-Size') ?? 0);
    role.wasm.loadArrow(EXTRACT_TABLE, new Uint8Array(await res.arrayBuffer()));
  }
});
afterAll(async () => {
  for (const role of Object.values(roles)) role.wasm?.close();
  await w?.stop();
});

const apiMatrix = (slice: Slice, token: string) =>
  loadRows(
    w.server.url,
    {
      measures: ['cohorts.cohort_retention', 'cohorts.revenue_retention', 'cohorts.cumulative_ltv'],
      dimensions: ['cohorts.month_offset'],
      timeDimensions: [{ dimension: 'cohorts.cohort_month', granularity: 'month' }],
      filters: Object.entries(slice)
        .filter(([, v]) => v)
        .map(([d, v]) => ({ member: `cohorts.${d}`, operator: 'equals', values: [v] })),
      order: [
        ['cohorts.cohort_month', 'asc'],
        ['cohorts.month_offset', 'asc'],
      ],
      limit: 50000,
    },
    token,
  );

describe('the cohort extract', () => {
  it("holds only the token's tenant, summed: its active member-months equal the API's", async () => {
    const [api] = await loadRows(w.server.url, { measures: ['cohorts.retained_customers'] }, roles.manager.token);
    // Without suppression the extract holds the finest grain only (slice_set 0): its rows add up.
    expect(roles.manager.wasm.rows(`SELECT DISTINCT slice_set FROM ${EXTRACT_TABLE}`).map((r) => Number(r.slice_set))).toEqual([0]);
    const [local] = roles.manager.wasm.rows(`SELECT sum(retained_customers) AS n FROM ${EXTRACT_TABLE}`);
    expect(Number(local.n)).toBe(Number(api['cohorts.retained_customers']));
  });

  it('carries no customer ids, and the minimum group size only for roles under suppression', () => {
    const columns = (wasm: Wasm) => wasm.rows(`SELECT column_name FROM information_schema.columns WHERE table_name = '${EXTRACT_TABLE}' ORDER BY 1`).map((r) => r.column_name);
    // Cohort month, offset, the five slice attributes, the slice set and two measures (cube/http/extractRoutes.ts).
    const expected = ['age_band', 'cohort_month', 'cohort_revenue', 'gender', 'month_offset', 'region', 'retained_customers', 'signup_channel', 'slice_set', 'tier'];
    expect(columns(roles.manager.wasm)).toEqual(expected);
    expect(columns(roles.marketer.wasm)).toEqual(expected);
    expect(roles.manager.minGroupSize).toBe(0);
    expect(roles.marketer.minGroupSize).toBe(10); // serveGeneratedWarehouse keeps the default minimum group
  });
});

describe('cohort slicing in DuckDB-WASM', () => {
  for (const slice of [{}, { signup_channel: 'store' }, { region: 'Kanto', age_band: '40s' }, { tier: 'silver' }]) {
    it(`matches the API for ${JSON.stringify(slice)}`, async () => {
      const api = await apiMatrix(slice, roles.manager.token);
      const local = roles.manager.wasm.rows(cohortMatrixSql(slice));
      expect(local.length).toBe(api.length);
      let revenueRetentionCompared = 0;
      local.forEach((cell, i) => {
        const row = api[i];
        expect(cell.cohort_month).toBe(String(row['cohorts.cohort_month.month']).slice(0, 10));
        expect(Number(cell.month_offset)).toBe(Number(row['cohorts.month_offset']));
        expect(Number(cell.retention)).toBeCloseTo(Number(row['cohorts.cohort_retention']), 9);
        expect(Number(cell.cumulative_ltv)).toBeCloseTo(Number(row['cohorts.cumulative_ltv']), 4);
        // Revenue retention is null where the first month's revenue is 0; then both sides say so.
        if (row['cohorts.revenue_retention'] === null) expect(cell.revenue_retention).toBeNull();
        else {
          expect(Number(cell.revenue_retention)).toBeCloseTo(Number(row['cohorts.revenue_retention']), 9);
          revenueRetentionCompared++;
        }
      });
      expect(local.length).toBeGreaterThan(100);
      expect(revenueRetentionCompared).toBeGreaterThan(local.length * 0.9);
    });
  }

  it("hides, for a marketer, every small cohort the API hides for the same slice, and shows the API's figures elsewhere", async () => {
    // A narrow slice has small cohorts to hide; a wide one has most cells to compare. Counted
    // over both, so a comparison skipped everywhere (every cell hidden) fails.
    let smallCohortsSeen = 0;
    let compared = 0;
    let cells = 0;
    for (const slice of [{ region: 'Kanto', age_band: '40s' }, { region: 'Kanto' }]) {
      const api = await apiMatrix(slice, roles.marketer.token);
      const local = roles.marketer.wasm.rows(cohortMatrixSql(slice, roles.marketer.minGroupSize));
      const cell = (cohort: unknown, offset: unknown) => `${String(cohort).slice(0, 10)}|${Number(offset)}`;
      const apiCells = new Map(api.map((r) => [cell(r['cohorts.cohort_month.month'], r['cohorts.month_offset']), r]));
      const localCells = new Map(local.map((c) => [cell(c.cohort_month, c.month_offset), c]));
      // Cohorts the API hides whole (every offset) are the slice's cohorts under 10 members.
      const hiddenRow = (cohort: string) => api.filter((r) => String(r['cohorts.cohort_month.month']).startsWith(cohort)).every((r) => r['cohorts.cohort_retention'] === null);
      const smallCohorts = [...new Set(api.map((r) => String(r['cohorts.cohort_month.month']).slice(0, 10)))].filter(hiddenRow);
      expect(smallCohorts.length).toBeLessThan(new Set(api.map((r) => r['cohorts.cohort_month.month'])).size);
      smallCohortsSeen += smallCohorts.length;
      cells += apiCells.size;
      for (const [key, row] of apiCells) {
        const mine = localCells.get(key)!;
        expect(mine).toBeDefined();
        if (smallCohorts.includes(key.slice(0, 10))) expect([mine.suppressed, mine.members, mine.retention, mine.cumulative_ltv]).toEqual([true, null, null, null]);
        // Each side may hide more (complementary cells: the API along its grid's lines, the
        // extract along the slices; the extract also withholds a month's active members with
        // its revenue when they are under 10, where the API shows retention over the cohort's
        // size); where both show a cell, they agree.
        if (!mine.suppressed && mine.retention !== null && row['cohorts.cohort_retention'] !== null) {
          // The API's figures carry a marketer's sticky noise: a retention over a cohort of n
          // members moves as if its count of active members moved by at most 2 (stickyNoise.ts).
          expect(Math.abs(Number(mine.retention) - Number(row['cohorts.cohort_retention'])) * Number(mine.members)).toBeLessThanOrEqual(2 + 1e-9);
          compared++;
        }
      }
    }
    console.log(`marketer slices: ${smallCohortsSeen} small cohorts hidden, ${compared} of ${cells} cells compared`);
    expect(smallCohortsSeen).toBeGreaterThan(0);
    // Measured: 62 of 600 cells; most months of these slices have fewer than 10 active members,
    // whose activity and revenue the extract withholds (issue 19, item 4), and 10 to 14 are
    // hidden by the noisy threshold for most groups (cube/policy/noisyThreshold.ts; 104 before it).
    expect(compared).toBeGreaterThan(cells / 12);
  });
});
