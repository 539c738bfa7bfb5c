import { describe, expect, it } from 'vitest';
import { cohortGroupKey, protectedCells } from '../../cube/policy/extractSuppression.js';
import { buildMemberIndex } from '../../cube/policy/memberIndex.js';
import { countsDistinctCustomers, suppressSmallGroups } from '../../cube/policy/suppression.js';

// Per-figure suppression (issue 19, items 1, 4, 5) on hand-sized answers, minimum 10: each
// figure is judged by the distinct customers that contribute to it, declared in the model.
const index = buildMemberIndex([
  {
    config: {
      name: 'camp',
      measures: [
        { name: 'camp.members', meta: { role: 'customer_count' } },
        { name: 'camp.treated', meta: { distinct_customers: true } },
        { name: 'camp.control', meta: { distinct_customers: true } },
        { name: 'camp.treated_rate', meta: { contributors: ['treated'] } },
        { name: 'camp.lift', meta: { contributors: ['treated', 'control'] } },
        { name: 'camp.target', meta: { contributors: [] } },
      ],
      dimensions: [{ name: 'camp.region', type: 'string' }],
    },
  },
]);
const row = (region: string, members: number, treated: number, control: number, rate: number, lift: number) => ({
  'camp.region': region,
  'camp.members': String(members),
  'camp.treated': String(treated),
  'camp.control': String(control),
  'camp.treated_rate': String(rate),
  'camp.lift': String(lift),
  'camp.target': '5',
});
const ADDED = ['camp.members', 'camp.treated', 'camp.control'];
const query = { measures: ['camp.treated_rate', 'camp.lift', 'camp.target', ...ADDED], dimensions: ['camp.region'] };

describe('each figure by its own contributors', () => {
  it('blanks lift where either arm is under 10, keeps the treated rate and the target', () => {
    // Kanto: 60 members, 50 treated, 10 control: every figure shown.
    // Kinki: 40 members, 35 treated, 5 control: lift needs both arms, so it is blanked; the treated rate is not.
    // Tohoku: 30 members, 20 treated, 10 control, and Chubu 25, 15, 10: complementary: the lift
    // line (the region column) hides exactly Kinki, so its smallest visible lift goes too (by the
    // smaller arm, then the region: Chubu 10 before Kanto 10 and Tohoku 10).
    const data = [row('Kanto', 60, 50, 10, 0.3, 0.2), row('Kinki', 40, 35, 5, 0.4, 0.9), row('Tohoku', 30, 20, 10, 0.2, 0.1), row('Chubu', 25, 15, 10, 0.25, 0.05)];
    const result = suppressSmallGroups({ query, data }, ADDED, index, 10);
    expect(result.data.map((r) => [r['camp.region'], r['camp.treated_rate'], r['camp.lift'], r['camp.target']])).toEqual([
      ['Kanto', '0.3', '0.2', '5'],
      ['Kinki', '0.4', null, '5'],
      ['Tohoku', '0.2', '0.1', '5'],
      ['Chubu', '0.25', null, '5'],
    ]);
    expect(result.suppressed).toEqual({ minGroupSize: 10, rows: [1, 3], withheld: 0 });
    expect(result.query.measures).toEqual(['camp.treated_rate', 'camp.lift', 'camp.target']);
  });

  it('asks no complementary cell for a figure no customer contributes to', () => {
    // Kinki has no member in either arm: its lift is blank, but the line's total minus the
    // others gives nothing of it, so Kanto and Tohoku keep theirs.
    const data = [row('Kanto', 60, 50, 10, 0.3, 0.2), { ...row('Kinki', 0, 0, 0, 0, 0), 'camp.treated': null, 'camp.control': null }, row('Tohoku', 30, 20, 10, 0.2, 0.1)];
    expect(suppressSmallGroups({ query, data }, ADDED, index, 10).data.map((r) => r['camp.lift'])).toEqual(['0.2', null, '0.1']);
  });

  it('counts an empty (NULL) arm as zero', () => {
    const data = [{ ...row('Kanto', 60, 50, 0, 0.3, 0), 'camp.control': null }, row('Kinki', 40, 30, 10, 0.4, 0.9), row('Tohoku', 40, 30, 12, 0.4, 0.9)];
    const result = suppressSmallGroups({ query, data }, ADDED, index, 10);
    expect(result.data.map((r) => r['camp.lift'])).toEqual([null, null, '0.9']);
  });

  it('orders blanked figures last by their regions, then cuts the page, so no blanked row keeps its rank', () => {
    // By lift, descending: Kinki 0.9 (blanked: 5 control), Kanto 0.2, Tohoku 0.1, Chubu 0.05 (blanked, complementary).
    const data = [row('Kinki', 40, 35, 5, 0.4, 0.9), row('Kanto', 60, 50, 10, 0.3, 0.2), row('Tohoku', 30, 20, 10, 0.2, 0.1), row('Chubu', 25, 15, 10, 0.25, 0.05)];
    const ordered = { query: { ...query, order: [{ id: 'camp.lift', desc: true }] }, data };
    const regions = (page?: { limit: number; offset: number }) => suppressSmallGroups(ordered, ADDED, index, 10, page).data.map((r) => r['camp.region']);
    expect(regions()).toEqual(['Kanto', 'Tohoku', 'Chubu', 'Kinki']);
    expect(regions({ limit: 1, offset: 0 })).toEqual(['Kanto']);
    expect(regions({ limit: 2, offset: 2 })).toEqual(['Chubu', 'Kinki']);
  });
});

describe('counts that are distinct only within one month offset', () => {
  const cohorts = buildMemberIndex([
    {
      config: {
        name: 'cohorts',
        measures: [{ name: 'cohorts.members', meta: { role: 'customer_count', distinct_within: ['month_offset'] } }, { name: 'cohorts.revenue' }],
        dimensions: [
          { name: 'cohorts.month_offset', type: 'number', meta: { category: true } },
          { name: 'cohorts.region', type: 'string' },
        ],
      },
    },
  ]);
  const rows = [{ 'cohorts.region': 'Kanto', 'cohorts.members': '24', 'cohorts.revenue': '5000' }];

  it('judge figures only when the query groups by the offset or filters one', () => {
    expect(countsDistinctCustomers('cohorts.members', { dimensions: ['cohorts.month_offset'] }, cohorts)).toBe(true);
    expect(countsDistinctCustomers('cohorts.members', { dimensions: ['cohorts.region'], filters: [{ member: 'cohorts.month_offset', operator: 'equals', values: ['3'] }] }, cohorts)).toBe(true);
    expect(countsDistinctCustomers('cohorts.members', { dimensions: ['cohorts.region'], filters: [{ member: 'cohorts.month_offset', operator: 'equals', values: ['3', '4'] }] }, cohorts)).toBe(false);
  });

  it('blank figures over several offsets: 24 member-months may be 2 members over 12 months', () => {
    const result = suppressSmallGroups({ query: { measures: ['cohorts.revenue', 'cohorts.members'], dimensions: ['cohorts.region'] }, data: rows }, ['cohorts.members'], cohorts, 10);
    expect(result.data).toEqual([{ 'cohorts.region': 'Kanto', 'cohorts.revenue': null }]);
  });
});

describe('a running total', () => {
  it('hides every later step of a line once one step is hidden: the step would be the next total minus the last', () => {
    // Cumulative LTV of one cohort by month offset; month 1 had 4 active members, so its revenue
    // (and its cumulative) is hidden, and so is every later cumulative of the same cohort.
    const running = buildMemberIndex([
      {
        config: {
          name: 'c',
          measures: [
            { name: 'c.members', meta: { role: 'customer_count' } },
            { name: 'c.active', meta: { distinct_customers: true } },
            { name: 'c.ltv', meta: { contributors: ['active', 'members'], running_over: 'offset' } },
          ],
          dimensions: [{ name: 'c.offset', type: 'number', meta: { category: true } }],
        },
      },
    ]);
    const data = [0, 1, 2, 3].map((k) => ({ 'c.offset': String(k), 'c.members': '50', 'c.active': String([50, 4, 12, 11][k]), 'c.ltv': String(1000 + 100 * k) }));
    const result = suppressSmallGroups({ query: { measures: ['c.ltv', 'c.members', 'c.active'], dimensions: ['c.offset'] }, data }, ['c.members', 'c.active'], running, 10);
    expect(result.data.map((r) => r['c.ltv'])).toEqual(['1000', null, null, null]);
  });
});

describe('the cohort extract by the same rules', () => {
  // One cohort, sliced by region: the parent (all regions, mask 1) and Kanto and Kinki (mask 0),
  // at month offsets 0, 1 and 2. Active members per cell:
  //             +0   +1   +2
  //   all       60   25   14
  //   Kanto     40   20    8   <- Kanto +2 is under 10
  //   Kinki     20    5    6   <- Kinki +1 and +2 are under 10
  const all = cohortGroupKey(1, '2025-01', [null]);
  const kanto = cohortGroupKey(0, '2025-01', ['Kanto']);
  const kinki = cohortGroupKey(0, '2025-01', ['Kinki']);
  const groups = [
    { key: all, cohort: '2025-01', mask: 1, values: [null], size: 60 },
    { key: kanto, cohort: '2025-01', mask: 0, values: ['Kanto'], size: 40 },
    { key: kinki, cohort: '2025-01', mask: 0, values: ['Kinki'], size: 20 },
  ];
  const cells = [
    [all, 0, 60],
    [all, 1, 25],
    [all, 2, 14],
    [kanto, 0, 40],
    [kanto, 1, 20],
    [kanto, 2, 8],
    [kinki, 0, 20],
    [kinki, 1, 5],
    [kinki, 2, 6],
  ].map(([group, offset, active]) => ({ group: group as string, offset: offset as number, active: active as number }));

  it('withholds months under 10 active members and the month that would give one away', () => {
    // Under 10: Kanto +2, Kinki +1, Kinki +2. Kanto's months line (+0 +1 +2, whose sum another
    // query answers) hides one month, so its smallest visible month goes too (+1, 20 active; +0
    // is larger). Then the +1 line (all = Kanto + Kinki) and the +2 line each hide both
    // children, Kinki's months hide two, the parent's none. Month 0 stays: it is the slice's size.
    const hidden = [...protectedCells(cells, groups, 1, 10)].map((i) => `${cells[i].group === all ? 'all' : cells[i].group === kanto ? 'Kanto' : 'Kinki'}+${cells[i].offset}`);
    expect(hidden.sort()).toEqual(['Kanto+1', 'Kanto+2', 'Kinki+1', 'Kinki+2']);
  });
});
