import { describe, expect, it } from 'vitest';
import { BadQuery, checkQueryAccess } from '../../cube/policy/accessPolicy.js';
import { buildMemberIndex } from '../../cube/policy/memberIndex.js';
import type { CubeQuery } from '../../cube/policy/queryMembers.js';

// A view shaped like customer_health: month-end snapshot measures read by `month`, beside a
// second time dimension that is not the snapshot's (like cohorts.cohort_month) and a flow measure.
const index = buildMemberIndex([
  {
    config: {
      name: 'health',
      measures: [
        { name: 'health.members_to_date', type: 'count', meta: { snapshot: 'month' } },
        { name: 'health.repeat_rate', type: 'number', meta: { snapshot: 'month' } },
        { name: 'health.orders', type: 'count' },
        { name: 'health.odd', type: 'count', meta: { snapshot: 'quarter' } },
      ],
      dimensions: [
        { name: 'health.month', type: 'time', meta: { snapshot: 'month' } },
        { name: 'health.cohort_month', type: 'time' },
        { name: 'health.region', type: 'string' },
      ],
    },
  },
]);
const admin = { tenant_id: '*', role: 'admin' as const };
const check = (query: CubeQuery) => () => checkQueryAccess(query, admin, index);
const SUMMED =
  'health.members_to_date is a month-end snapshot and cannot be added up over several months (that would count the same customers once per month). ' +
  'Group it by health.month with granularity "month" (or finer), or limit health.month to a date range within one month.';

describe('month-end snapshot measures', () => {
  it('refuses a snapshot measure summed over every month, naming it', () => {
    expect(check({ measures: ['health.members_to_date'] })).toThrow(new BadQuery(SUMMED));
    expect(check({ measures: ['health.members_to_date'], dimensions: ['health.region'] })).toThrow(SUMMED);
  });

  it('refuses buckets coarser than a month, and a month grouping on another time dimension', () => {
    for (const granularity of ['quarter', 'year']) {
      expect(check({ measures: ['health.members_to_date'], timeDimensions: [{ dimension: 'health.month', granularity }] })).toThrow(SUMMED);
    }
    expect(check({ measures: ['health.members_to_date'], timeDimensions: [{ dimension: 'health.cohort_month', granularity: 'month' }] })).toThrow(SUMMED);
    expect(check({ measures: ['health.members_to_date'], timeDimensions: [{ dimension: 'health.month', dateRange: ['2026-09-01T00:00:00.000', '2026-10-31T23:59:59.999'] }] })).toThrow(SUMMED);
  });

  it('names a ratio of snapshots the same way (pooling months is no month-end rate either)', () => {
    expect(check({ measures: ['health.orders', 'health.repeat_rate'] })).toThrow(/^health\.repeat_rate is a month-end snapshot/);
  });

  it('answers a snapshot read one month at a time', () => {
    for (const granularity of ['month', 'week', 'day']) {
      expect(check({ measures: ['health.members_to_date', 'health.repeat_rate'], dimensions: ['health.region'], timeDimensions: [{ dimension: 'health.month', granularity }] })).not.toThrow();
    }
    expect(check({ measures: ['health.members_to_date'], timeDimensions: [{ dimension: 'health.month', dateRange: ['2026-10-01T00:00:00.000', '2026-10-31T23:59:59.999'] }] })).not.toThrow();
    expect(check({ measures: ['health.members_to_date'], dimensions: ['health.month'] })).not.toThrow();
    expect(check({ measures: ['health.members_to_date'], dimensions: ['health.month'], ungrouped: true })).not.toThrow();
  });

  it('leaves flow measures alone', () => {
    expect(check({ measures: ['health.orders'], timeDimensions: [{ dimension: 'health.month', granularity: 'year' }] })).not.toThrow();
    expect(check({ measures: ['health.orders'] })).not.toThrow();
  });

  it('refuses a snapshot grain it cannot check instead of letting it through', () => {
    expect(check({ measures: ['health.odd'], timeDimensions: [{ dimension: 'health.month', granularity: 'month' }] })).toThrow(
      'health.odd is marked "snapshot: quarter" but "health" has no time dimension marked "snapshot: month" to read it by, so it cannot be queried.',
    );
  });
});
