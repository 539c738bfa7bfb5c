import type { Query } from '@cubejs-client/core';

/** Pure builders of the customer 360 queries: one member's profile and timeline. */
const byCustomer = (view: string, id: string) => [{ member: `${view}.customer_id`, operator: 'equals' as const, values: [id] }];

export function profileQuery(id: string, dimensions: string[]): Query {
  return { dimensions, filters: byCustomer('customer_segments', id), limit: 1 };
}

export function ordersQuery(id: string): Query {
  return {
    measures: ['customer_orders.revenue'],
    dimensions: ['customer_orders.order_id', 'customer_orders.channel', 'customer_orders.stores_name'],
    timeDimensions: [{ dimension: 'customer_orders.ordered_at', granularity: 'day' }],
    filters: byCustomer('customer_orders', id),
    order: { 'customer_orders.ordered_at': 'desc' },
    limit: 500,
  };
}

export function tiersQuery(id: string): Query {
  return {
    dimensions: ['customer_tier_history.tier', 'customer_tier_history.valid_from', 'customer_tier_history.valid_to'],
    filters: byCustomer('customer_tier_history', id),
    order: { 'customer_tier_history.valid_from': 'asc' },
  };
}

export function campaignsQuery(id: string): Query {
  return {
    dimensions: ['campaign_performance.campaigns_name', 'campaign_performance.group_name', 'campaign_performance.converted'],
    timeDimensions: [{ dimension: 'campaign_performance.assigned_at', granularity: 'day' }],
    filters: byCustomer('campaign_performance', id),
    order: { 'campaign_performance.assigned_at': 'desc' },
  };
}

export function inquiriesQuery(id: string): Query {
  return {
    dimensions: ['customer_inquiries.category', 'customer_inquiries.channel', 'customer_inquiries.satisfaction'],
    timeDimensions: [{ dimension: 'customer_inquiries.opened_at', granularity: 'day' }],
    filters: byCustomer('customer_inquiries', id),
    order: { 'customer_inquiries.opened_at': 'desc' },
  };
}

/** Customer 360 is one person's data: offered (tab, links) only to roles whose catalog has members' names. */
export const CUSTOMER_360_MEMBER = 'customer_segments.name';

/** A member number as typed: digits only (spaces around allowed), else null. */
export function parseMemberNumber(input: string): string | null {
  const text = input.trim();
  return /^\d{1,15}$/.test(text) ? String(Number(text)) : null;
}

/** What a member can be found by: the number for every role, name, email and phone where the role sees personal data. */
export const SEARCH_FIELDS = ['customer_id', 'name', 'email', 'phone'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

/** Fields of `customer_segments` a role may search by: those its catalog lists (personal data is absent for others). */
export function searchFields(has: (member: string) => boolean): SearchField[] {
  return SEARCH_FIELDS.filter((f) => has(`customer_segments.${f}`));
}

/** Members matching a search: the number exactly, a name, email or phone containing the text (case-insensitive in Cube). */
export function searchQuery(field: SearchField, text: string, columns: string[], limit = 20): Query {
  const member = `customer_segments.${field}`;
  return {
    dimensions: ['customer_segments.customer_id', ...columns.filter((c) => c !== 'customer_segments.customer_id')],
    filters: [{ member, operator: field === 'customer_id' ? 'equals' : 'contains', values: [text.trim()] }],
    order: { 'customer_segments.customer_id': 'asc' },
    limit,
  };
}

type ApiRow = Record<string, unknown>;
export type TimelineKind = 'order' | 'tier' | 'campaign' | 'inquiry';
export interface TimelineEvent {
  date: string;
  kind: TimelineKind;
  text: string;
}

/**
 * The four timelines (API rows of the queries above) as one list of events, newest first.
 * `label(member, value)` names a stored value in the user's language; `money` formats JPY.
 */
export function timelineEvents(rows: Record<TimelineKind, ApiRow[]>, label: (member: string, value: unknown) => string, money: (value: number) => string): TimelineEvent[] {
  const join = (...parts: string[]) => parts.filter(Boolean).join(' · ');
  const day = (v: unknown) => String(v).slice(0, 10);
  const labelled = (r: ApiRow, member: string) => (r[member] === null || r[member] === undefined ? '' : label(member, r[member]));
  return [
    ...rows.order.map((o) => ({
      date: day(o['customer_orders.ordered_at.day']),
      kind: 'order' as const,
      text: join(money(Number(o['customer_orders.revenue'])), labelled(o, 'customer_orders.channel'), labelled(o, 'customer_orders.stores_name')),
    })),
    ...rows.tier.map((r) => ({ date: day(r['customer_tier_history.valid_from']), kind: 'tier' as const, text: labelled(r, 'customer_tier_history.tier') })),
    ...rows.campaign.map((c) => ({
      date: day(c['campaign_performance.assigned_at.day']),
      kind: 'campaign' as const,
      text: join(labelled(c, 'campaign_performance.campaigns_name'), labelled(c, 'campaign_performance.group_name'), c['campaign_performance.converted'] ? '✓' : ''),
    })),
    ...rows.inquiry.map((i) => ({
      date: day(i['customer_inquiries.opened_at.day']),
      kind: 'inquiry' as const,
      text: join(labelled(i, 'customer_inquiries.category'), labelled(i, 'customer_inquiries.channel'), `★${i['customer_inquiries.satisfaction'] ?? '–'}`),
    })),
  ].sort((a, b) => b.date.localeCompare(a.date));
}
