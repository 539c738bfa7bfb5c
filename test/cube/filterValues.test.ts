import { describe, expect, it } from 'vitest';
import { nonNumericFilterValue } from '../../cube/policy/filterValues.js';
import { buildMemberIndex } from '../../cube/policy/memberIndex.js';

const index = buildMemberIndex([
  {
    config: {
      name: 'v',
      measures: [{ name: 'v.revenue', type: 'sum' }],
      dimensions: [
        { name: 'v.customer_id', type: 'number' },
        { name: 'v.name', type: 'string' },
      ],
    },
  },
]);

describe('filter values on number members', () => {
  it('names the member and the value that is not a number, nested groups included', () => {
    expect(nonNumericFilterValue([{ member: 'v.customer_id', operator: 'equals', values: ['abc'] }], index)).toBe('v.customer_id is a number; the filter value "abc" is not.');
    expect(nonNumericFilterValue([{ or: [{ member: 'v.name', operator: 'set' }, { and: [{ member: 'v.revenue', operator: 'gt', values: ['1e3', 'x'] }] }] }], index)).toBe(
      'v.revenue is a number; the filter value "x" is not.',
    );
  });

  it('refuses a number the warehouse cannot hold', () => {
    expect(nonNumericFilterValue([{ member: 'v.customer_id', operator: 'lt', values: ['1e400'] }], index)).toBe('v.customer_id is a number; the filter value "1e400" is not.');
  });

  it('lets numbers, text members and text operators through', () => {
    expect(
      nonNumericFilterValue(
        [
          { member: 'v.customer_id', operator: 'equals', values: ['42', '-3.5', ' 7 '] },
          { member: 'v.name', operator: 'equals', values: ['abc'] },
          { member: 'v.customer_id', operator: 'set' },
        ],
        index,
      ),
    ).toBeNull();
  });
});
