import { describe, expect, it } from 'vitest';
import { contributorIssues } from '../../cube/modelCheck.js';
import { buildMemberIndex, contributorsOf } from '../../cube/policy/memberIndex.js';

// The model check's rule for per-figure suppression (issue 19, item 1), on a hand-sized
// compiled model: one public view over customers, as /meta lists it.
const view = (measures: { name: string; meta?: Record<string, unknown> }[]) =>
  buildMemberIndex([{ config: { name: 'shop', measures: measures.map((m) => ({ ...m, name: `shop.${m.name}` })), dimensions: [{ name: 'shop.region', type: 'string' }] } }]);
const files = new Map([['shop', 'views/shop.yml']]);

describe('meta.contributors', () => {
  it('resolves a figure to its declared counts, a count to itself, the rest to the view count', () => {
    const index = view([
      { name: 'members', meta: { role: 'customer_count' } },
      { name: 'buyers', meta: { distinct_customers: true } },
      { name: 'ltv', meta: { contributors: ['buyers'] } },
      { name: 'target', meta: { contributors: [] } },
      { name: 'orders' },
    ]);
    expect(contributorsOf('shop.ltv', index)).toEqual(['shop.buyers']);
    expect(contributorsOf('shop.buyers', index)).toEqual(['shop.buyers']);
    expect(contributorsOf('shop.target', index)).toEqual([]);
    expect(contributorsOf('shop.orders', index)).toEqual(['shop.members']);
    expect(contributorIssues(index, files)).toEqual([]);
  });

  it('refuses a contributor that is missing or does not count distinct customers', () => {
    const index = view([
      { name: 'members', meta: { role: 'customer_count' } },
      { name: 'revenue' },
      { name: 'ltv', meta: { contributors: ['buyers'] } },
      { name: 'aov', meta: { contributors: ['revenue'] } },
    ]);
    expect(contributorIssues(index, files).map((i) => `${i.file} ${i.member}: ${i.message}`)).toEqual([
      'views/shop.yml shop.ltv: meta.contributors names shop.buyers, which is not a measure of shop',
      'views/shop.yml shop.aov: meta.contributors names shop.revenue, which does not count distinct customers (meta.role: customer_count or meta.distinct_customers)',
    ]);
  });

  it('refuses a distinct_within that names no dimension of the view', () => {
    const index = view([{ name: 'members', meta: { role: 'customer_count', distinct_within: ['region', 'month_offset'] } }]);
    expect(contributorIssues(index, files).map((i) => i.message)).toEqual(['meta.distinct_within names shop.month_offset, which is not a dimension of shop']);
  });

  it('refuses a public view measure that no count judges', () => {
    const index = view([{ name: 'revenue' }]);
    expect(contributorIssues(index, files)).toEqual([
      { file: 'views/shop.yml', member: 'shop.revenue', message: 'no distinct-customer count judges its figures: declare meta.contributors, or give the view a meta.role: customer_count measure' },
    ]);
  });
});
