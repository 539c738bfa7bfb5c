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
    filters: byCustomer('customer_orders', id), order: { 'customer_orders.ordered_at': 'desc' }, limit: 500,
  };
}

export function tiersQuery(id: string): Query {
  return { dimensions: ['customer_tier_history.tier', 'customer_tier_history.valid_from', 'customer_tier_history.valid_to'], filters: byCustomer('customer_tier_history', id), order: { 'customer_tier_history.valid_from': 'asc' } };
}

export function campaignsQuery(id: string): Query {
  return {
    dimensions: ['campaign_performance.campaigns_name', 'campaign_performance.group_name', 'campaign_performance.converted'],
    timeDimensions: [{ dimension: 'campaign_performance.assigned_at', granularity: 'day' }],
    filters: byCustomer('campaign_performance', id), order: { 'campaign_performance.assigned_at': 'desc' },
  };
}

export function inquiriesQuery(id: string): Query {
  return {
    dimensions: ['customer_inquiries.category', 'customer_inquiries.channel', 'customer_inquiries.satisfaction'],
    timeDimensions: [{ dimension: 'customer_inquiries.opened_at', granularity: 'day' }],
    filters: byCustomer('customer_inquiries', id), order: { 'customer_inquiries.opened_at': 'desc' },
  };
}
