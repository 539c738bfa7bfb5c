import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRows, tokenFor } from '../support/apiClient.js';
import { serveGeneratedWarehouse, type ServedWarehouse } from '../support/warehouses.js';

// Issue 19 attack review, second finding: the cohort extract carried no noise. Its cells were
// exact, so a parent slice minus its visible children minus one noisy /load cell gave a hidden
// child (3 members' revenue in one month) within the one cell's noise, 12-16 yen. The extract's
// cells now carry the noise /load gives the same figure (cube/http/extractNoise.ts): a cell of
// the extract equals /load's answer for it, so the extract adds nothing a pair of /load answers
// does not: the difference attack is left the noise of every cell it adds up, as a pair of
// /load answers is (README, Differencing). Measured on the test warehouse (t01 marketer, the
// slices by region): before, every revenue cell of the extract was the exact figure.
let w: ServedWarehouse;
const marketer = tokenFor({ tenant_id: 't01', role: 'marketer' });
const manager = tokenFor({ tenant_id: 't01', role: 'crm_manager' });
type Row = Record<string, any>;
const C = 'cohorts';
// slice_set bits: signup_channel 16, region 8, tier 4, age_band 2, gender 1 (a set bit: all values).
const BY_REGION = 31 - 8;

beforeAll(async () => {
  w = await serveGeneratedWarehouse('duckdb');
}, 300_000);
afterAll(async () => {
  await w?.stop();
});

async function extract(): Promise<Row[]> {
  const res = await fetch(`${w.server.url}/api/extracts/cohort-activity`, { headers: { Authorization: marketer } });
  expect(res.status).toBe(200);
  return tableFromIPC(new Uint8Array(await res.arrayBuffer()))
    .toArray()
    .map((r) => r.toJSON() as Row);
}

/** /load's cohort cells by month, offset and region, keyed as the extract's: month (YYYY-MM-DD), offset, region. */
async function byRegion(token: string): Promise<Map<string, Row>> {
  const rows = await loadRows(
    w.server.url,
    {
      measures: [`${C}.retained_customers`, `${C}.cohort_revenue`],
      dimensions: [`${C}.month_offset`, `${C}.region`],
      timeDimensions: [{ dimension: `${C}.cohort_month`, granularity: 'month' }],
      limit: 50_000,
    },
    token,
  );
  return new Map(rows.map((r) => [JSON.stringify([String(r[`${C}.cohort_month.month`]).slice(0, 10), Number(r[`${C}.month_offset`]), r[`${C}.region`]]), r]));
}

const keyOf = (r: Row) => JSON.stringify([r.cohort_month, Number(r.month_offset), r.region]);

describe('the cohort extract carries the noise /load gives the same cells', () => {
  it('answers each cell as /load answers it, and not exactly', { timeout: 300_000 }, async () => {
    const cells = (await extract()).filter((r) => r.slice_set === BY_REGION);
    const load = await byRegion(marketer);
    const exact = await byRegion(manager);
    let compared = 0;
    let differ = 0;
    for (const cell of cells) {
      const answered = load.get(keyOf(cell));
      const truth = exact.get(keyOf(cell));
      if (cell.cohort_revenue === null || !answered || answered[`${C}.cohort_revenue`] === null) continue;
      compared++;
      // The same figure, from the same key and condition (float sums in another order: within a thousandth of a yen).
      expect(cell.cohort_revenue).toBeCloseTo(Number(answered[`${C}.cohort_revenue`]), 3);
      expect(cell.retained_customers).toBe(Number(answered[`${C}.retained_customers`]));
      if (Math.abs(cell.cohort_revenue - Number(truth![`${C}.cohort_revenue`])) >= 0.5) differ++;
    }
    expect(compared).toBeGreaterThan(20);
    console.log(`extract noise: ${compared} revenue cells of the region slices answered by /load too, all equal to it; ${differ} differ from the exact figure`);
    // Before: 0 cells differed from the exact figure.
    expect(differ).toBeGreaterThan(compared / 2);
  });
});
