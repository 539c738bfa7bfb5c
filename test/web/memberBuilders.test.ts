import { describe, expect, it } from 'vitest';
import { cellsToShow, type MatrixCell } from '../../web/src/cohorts/cohortQueries.js';
import { parseMemberNumber, searchFields, searchQuery, timelineEvents } from '../../web/src/customer/customerQueries.js';
import { conditionsFromParams, contactListQuery, dimensionValues, segmentRows } from '../../web/src/segments/segmentQueries.js';

// The pure builders behind Customer 360, the segment contact lists and the cohort heat-map.
describe('customer 360 builders', () => {
  it('reads a member number as digits only, so "abc" never reaches the API', () => {
    expect(parseMemberNumber(' 1024 ')).toBe('1024');
    expect(parseMemberNumber('007')).toBe('7');
    for (const bad of ['abc', '12a', '1.5', '-3', '', ' ', '1 2', '１２３']) expect(parseMemberNumber(bad)).toBeNull();
  });

  it('offers name, email and phone search only where the catalog has them (roles without personal data: number only)', () => {
    const all = new Set(['customer_segments.customer_id', 'customer_segments.name', 'customer_segments.email', 'customer_segments.phone']);
    expect(searchFields((m) => all.has(m))).toEqual(['customer_id', 'name', 'email', 'phone']);
    expect(searchFields((m) => m === 'customer_segments.customer_id')).toEqual(['customer_id']);
  });

  it('searches the number exactly and personal data by "contains"', () => {
    expect(searchQuery('customer_id', ' 42 ', ['customer_segments.customer_id', 'customer_segments.name'])).toEqual({
      dimensions: ['customer_segments.customer_id', 'customer_segments.name'],
      filters: [{ member: 'customer_segments.customer_id', operator: 'equals', values: ['42'] }],
      order: { 'customer_segments.customer_id': 'asc' },
      limit: 20,
    });
    expect(searchQuery('email', 'sato@', ['customer_segments.email']).filters).toEqual([{ member: 'customer_segments.email', operator: 'contains', values: ['sato@'] }]);
  });

  it('merges orders, tiers, campaigns and inquiries into one timeline, newest first, values labelled', () => {
    const events = timelineEvents(
      {
        order: [{ 'customer_orders.ordered_at.day': '2026-05-01T00:00:00.000', 'customer_orders.revenue': '1200', 'customer_orders.channel': 'ec', 'customer_orders.stores_name': null }],
        tier: [{ 'customer_tier_history.valid_from': '2026-01-01', 'customer_tier_history.tier': 'gold' }],
        campaign: [
          {
            'campaign_performance.assigned_at.day': '2026-06-01T00:00:00.000',
            'campaign_performance.campaigns_name': '夏',
            'campaign_performance.group_name': 'treatment',
            'campaign_performance.converted': true,
          },
        ],
        inquiry: [],
      },
      (member, value) => `${member.split('.')[1]}:${String(value)}`,
      (v) => `¥${v}`,
    );
    expect(events).toEqual([
      { date: '2026-06-01', kind: 'campaign', text: 'campaigns_name:夏 · group_name:treatment · ✓' },
      { date: '2026-05-01', kind: 'order', text: '¥1200 · channel:ec' },
      { date: '2026-01-01', kind: 'tier', text: 'tier:gold' },
    ]);
  });
});

describe('segment builders', () => {
  it("asks each channel's consent view for its list, the segment's conditions moved onto that view", () => {
    const conditions = [
      { dimension: 'customer_segments.region', value: 'Kanto' },
      { dimension: 'customer_segments.tier', value: 'gold' },
    ];
    expect(contactListQuery('email', conditions)).toEqual({
      dimensions: ['email_contact_list.customer_id', 'email_contact_list.name', 'email_contact_list.email'],
      filters: [
        { member: 'email_contact_list.region', operator: 'equals', values: ['Kanto'] },
        { member: 'email_contact_list.tier', operator: 'equals', values: ['gold'] },
      ],
      order: { 'email_contact_list.customer_id': 'asc' },
      limit: 100000,
    });
    // The LINE list carries no email address: a LINE-linked member may not have opted in to email.
    expect(contactListQuery('line', []).dimensions).toEqual(['line_contact_list.customer_id', 'line_contact_list.name']);
  });

  it('reads the built segment from the URL and makes one card per value, the built one last', () => {
    const dims = [
      { name: 'customer_segments.region', role: 'region' },
      { name: 'customer_segments.tier', role: 'tier' },
    ];
    const conditions = conditionsFromParams(dims, new URLSearchParams('f_tier=gold&by=x'));
    expect(conditions).toEqual([{ dimension: 'customer_segments.tier', value: 'gold' }]);
    expect(dimensionValues([{ d: 'a' }, { d: null }, { d: 'b' }], 'd')).toEqual(['a', 'b']);
    const rows = segmentRows('d', [{ d: 'a', m: '1' }], conditions, [{ m: '2' }]);
    expect(rows.map((r) => [r.key, r.values, r.conditions.length, r.figures.m])).toEqual([
      ['a', ['a'], 1, '1'],
      ['built', ['gold'], 1, '2'],
    ]);
  });
});

describe('cohort heat-map cells', () => {
  const cell: MatrixCell = { cohort_month: '2025-01-01', month_offset: 0, members: 10, retention: 1, revenue_retention: 1, cumulative_ltv: 5, suppressedBelow: null, figuresBelow: null };
  it('shows nothing (a skeleton) while a slice is computing, never the unsliced matrix', () => {
    expect(cellsToShow(true, null, [cell])).toBeNull();
    expect(cellsToShow(true, [], [cell])).toEqual([]);
    expect(cellsToShow(false, null, [cell])).toEqual([cell]);
    expect(cellsToShow(false, null, null)).toBeNull();
  });
});
