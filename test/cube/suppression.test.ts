import { describe, expect, it } from 'vitest';
import { buildMemberIndex } from '../../cube/policy/memberIndex.js';
import { cohortGroupKey, protectedGroups } from '../../cube/policy/extractSuppression.js';
import { complementaryCells, suppressSmallGroups } from '../../cube/policy/suppression.js';

// Small-group suppression on hand-sized results (minimum group: 10 customers).
const index = buildMemberIndex([
  {
    config: {
      name: 'segments',
      measures: [{ name: 'segments.customers', meta: { role: 'customer_count' } }, { name: 'segments.revenue' }],
      dimensions: [
        { name: 'segments.region', type: 'string' },
        { name: 'segments.tier', type: 'string' },
        { name: 'segments.lifetime_revenue', type: 'number' },
        { name: 'segments.score', type: 'number', meta: { category: true } },
      ],
    },
  },
]);
const row = (region: string, tier: string, customers: number, revenue: number) => ({
  'segments.region': region,
  'segments.tier': tier,
  'segments.customers': String(customers),
  'segments.revenue': String(revenue),
});
const grid = (data: Record<string, unknown>[], dimensions = ['segments.region', 'segments.tier']) => ({ query: { measures: ['segments.revenue', 'segments.customers'], dimensions }, data });

describe('complementary suppression', () => {
  it('hides a second cell in every line that would hide exactly one', () => {
    // Region x tier, customers per cell:      gold  silver
    //   Kanto                                    3     40     <- Kanto gold is small
    //   Kinki                                   25     30
    // Kanto's line (gold + silver) and gold's column would each reveal the small cell from their
    // totals, so the smallest visible cell of each line goes too: Kanto silver (40, the only one
    // left in the row) and Kinki gold (25); then Kinki's row and silver's column hide two each.
    const data = [row('Kanto', 'gold', 3, 900), row('Kanto', 'silver', 40, 4000), row('Kinki', 'gold', 25, 2500), row('Kinki', 'silver', 30, 3000)];
    const hidden = complementaryCells(data, new Set([0]), ['segments.region', 'segments.tier'], (r) => Number(r['segments.customers']));
    expect([...hidden].sort()).toEqual([0, 1, 2, 3]);
  });

  it('leaves a line alone when it already hides two cells, or none', () => {
    const data = [row('Kanto', 'gold', 3, 900), row('Kanto', 'silver', 4, 400), row('Kinki', 'gold', 25, 2500), row('Kinki', 'silver', 30, 3000)];
    // Kanto hides two (gold 3, silver 4); each tier column hides one, so Kinki's smallest in
    // each column (gold 25, silver 30) goes: every line now hides 0 or 2.
    const hidden = complementaryCells(data, new Set([0, 1]), ['segments.region', 'segments.tier'], (r) => Number(r['segments.customers']));
    expect([...hidden].sort()).toEqual([0, 1, 2, 3]);
    const oneDimension = [row('Kanto', '', 12, 1200), row('Kinki', '', 30, 3000)];
    expect([...complementaryCells(oneDimension, new Set(), ['segments.region'], () => 0)]).toEqual([]);
  });
});

describe('complementary choices do not depend on row order', () => {
  it('hides the same cells whichever order the warehouse returns them in', () => {
    // Kanto gold (3) is small; Kinki gold and Tohoku gold tie at 20 customers, so the tie is
    // broken by the cells' values (Kinki before Tohoku), not by their position.
    const data = [row('Kanto', 'gold', 3, 300), row('Kinki', 'gold', 20, 2000), row('Tohoku', 'gold', 20, 2000)];
    const hiddenRegions = (rows: typeof data) =>
      [...complementaryCells(rows, new Set(rows.flatMap((r, i) => (r['segments.region'] === 'Kanto' ? [i] : []))), ['segments.region'], (r) => Number(r['segments.customers']))]
        .map((i) => rows[i]['segments.region'])
        .sort();
    expect(hiddenRegions(data)).toEqual(['Kanto', 'Kinki']);
    expect(hiddenRegions([...data].reverse())).toEqual(['Kanto', 'Kinki']);
  });
});

describe('suppressSmallGroups', () => {
  it('blanks small and empty groups, drops the count it added, and lists what it hid', () => {
    // Kanto 12 customers, Kinki 0 (empty: hidden), Tohoku 4 (hidden). Kinki holds no customer,
    // so it protects nothing: the total minus Kanto would be Tohoku, so Kanto is hidden too.
    const data = [
      { 'segments.region': 'Kanto', 'segments.customers': '12', 'segments.revenue': '1200' },
      { 'segments.region': 'Kinki', 'segments.customers': '0', 'segments.revenue': '0' },
      { 'segments.region': 'Tohoku', 'segments.customers': '4', 'segments.revenue': '400' },
    ];
    const result = suppressSmallGroups(grid(data, ['segments.region']), ['segments.customers'], index, 10);
    expect(result.data).toEqual([
      { 'segments.region': 'Kanto', 'segments.revenue': null },
      { 'segments.region': 'Kinki', 'segments.revenue': null },
      { 'segments.region': 'Tohoku', 'segments.revenue': null },
    ]);
    expect(result.query.measures).toEqual(['segments.revenue']);
    expect(result.suppressed).toEqual({ minGroupSize: 10, rows: [0, 1, 2], withheld: 0 });
  });

  it('leaves out small rows whose dimensions alone could name a person (an amount), keeps category numbers', () => {
    const byAmount = [
      { 'segments.lifetime_revenue': '1234567', 'segments.customers': '1', 'segments.revenue': '1234567' },
      { 'segments.lifetime_revenue': '5000', 'segments.customers': '15', 'segments.revenue': '75000' },
      { 'segments.lifetime_revenue': '7000', 'segments.customers': '11', 'segments.revenue': '77000' },
    ];
    const result = suppressSmallGroups(grid(byAmount, ['segments.lifetime_revenue']), ['segments.customers'], index, 10);
    // The 1-customer row is gone; complementary suppression still blanks the smallest other (11).
    expect(result.data).toEqual([
      { 'segments.lifetime_revenue': '5000', 'segments.revenue': '75000' },
      { 'segments.lifetime_revenue': '7000', 'segments.revenue': null },
    ]);
    expect(result.suppressed).toEqual({ minGroupSize: 10, rows: [1], withheld: 1 });
    const byScore = [
      { 'segments.score': '5', 'segments.customers': '2', 'segments.revenue': '10' },
      { 'segments.score': '4', 'segments.customers': '3', 'segments.revenue': '10' },
    ];
    expect(suppressSmallGroups(grid(byScore, ['segments.score']), ['segments.customers'], index, 10).data).toHaveLength(2);
  });

  it('puts blanked rows last when the query orders by a measure', () => {
    const data = [row('Kanto', 'gold', 50, 9000), row('Kinki', 'gold', 3, 8000), row('Tohoku', 'gold', 4, 7000), row('Kyushu', 'gold', 20, 1000)];
    const result = suppressSmallGroups(
      { ...grid(data, ['segments.region']), query: { measures: ['segments.revenue', 'segments.customers'], dimensions: ['segments.region'], order: [{ id: 'segments.revenue', desc: true }] } },
      [],
      index,
      10,
    );
    expect(result.data.map((r) => r['segments.region'])).toEqual(['Kanto', 'Kyushu', 'Kinki', 'Tohoku']);
    expect(result.suppressed?.rows).toEqual([2, 3]);
  });
});

describe('the cohort extract under suppression', () => {
  // One cohort, slices by one attribute (region): mask 1 = all regions, mask 0 = per region.
  const group = (mask: number, region: string | null, size: number) => ({ key: cohortGroupKey(mask, '2025-01', [region]), cohort: '2025-01', mask, values: [region], size });

  it('leaves out small slices and a complementary sibling, so no slice is the whole minus the rest', () => {
    // The cohort has 60 members: Kanto 40, Kinki 15, Tohoku 5. Tohoku is small; alone it would
    // be 60 - 40 - 15, so the smallest other slice (Kinki, 15) is left out too.
    const groups = [group(1, null, 60), group(0, 'Kanto', 40), group(0, 'Kinki', 15), group(0, 'Tohoku', 5)];
    expect([...protectedGroups(groups, 1, 10)].sort()).toEqual([groups[2].key, groups[3].key].sort());
  });

  it('leaves everything in when no slice is small', () => {
    expect(protectedGroups([group(1, null, 60), group(0, 'Kanto', 40), group(0, 'Kinki', 20)], 1, 10).size).toBe(0);
  });
});
