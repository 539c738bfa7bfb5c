/**
 * The staging area an import fills before it touches the warehouse: temporary tables in the
 * importing connection (order lines and customer attributes through DuckDB's appender, the few
 * stores, products and campaigns collected in memory). load.ts turns them into warehouse rows
 * in one transaction; until then the warehouse's own tables are untouched.
 */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';

export type Channel = 'store' | 'ec' | 'app';
export type SignupChannel = 'store' | 'ec' | 'app' | 'line' | 'event';

/** One line of one order; lines sharing an orderKey make one order. */
export interface OrderLine {
  line: number;
  orderKey: string;
  /** null: a non-member order. */
  customerKey: string | null;
  /** `YYYY-MM-DD HH:MM:SS`, local time. */
  orderedAt: string;
  channel: Channel;
  storeKey: string;
  productKey: string;
  quantity: number;
  unitPrice: number;
  amount: number;
}

export interface Store {
  name: string;
  prefecture: string;
  region: string;
  format: 'department' | 'supermarket' | 'apparel' | 'drugstore' | 'ec';
}

export interface Product {
  category: string;
  subcategory: string;
  brand: string;
  unitPrice: number;
}

/** What a file says about a customer beyond their orders; null: take it from the first order. */
export interface CustomerFacts {
  signupDate: string | null;
  signupChannel: SignupChannel | null;
  region: string | null;
}

export interface Campaign {
  name: string;
  channel: 'email' | 'line' | 'dm' | 'app_push' | 'coupon';
  objective: 'welcome' | 'reactivation' | 'cross_sell' | 'loyalty';
  startDate: string;
  endDate: string;
  attributionDays: number;
}

export interface CampaignMember {
  campaignKey: string;
  customerKey: string;
  group: 'treatment' | 'control';
  /** `YYYY-MM-DD HH:MM:SS`. */
  assignedAt: string;
  /** The treatment was sent (null for the control group). */
  sentAt: string | null;
}

const STAGING_SQL = `
  CREATE OR REPLACE TEMP TABLE stage_lines (line INTEGER, order_key VARCHAR, customer_key VARCHAR, ordered_at VARCHAR, channel VARCHAR,
    store_key VARCHAR, product_key VARCHAR, quantity INTEGER, unit_price DOUBLE, amount DOUBLE);
  CREATE OR REPLACE TEMP TABLE stage_customers (customer_key VARCHAR, signup_date VARCHAR, signup_channel VARCHAR, region VARCHAR);
  CREATE OR REPLACE TEMP TABLE stage_members (campaign_key VARCHAR, customer_key VARCHAR, group_name VARCHAR, assigned_at VARCHAR, sent_at VARCHAR);
  CREATE OR REPLACE TEMP TABLE stage_stores (store_key VARCHAR, name VARCHAR, prefecture VARCHAR, region VARCHAR, format VARCHAR);
  CREATE OR REPLACE TEMP TABLE stage_products (product_key VARCHAR, category VARCHAR, subcategory VARCHAR, brand VARCHAR, unit_price DOUBLE);
  CREATE OR REPLACE TEMP TABLE stage_campaigns (campaign_key VARCHAR, name VARCHAR, channel VARCHAR, objective VARCHAR,
    start_date VARCHAR, end_date VARCHAR, attribution_days INTEGER);
`;

const appendText = (appender: DuckDBAppender, value: string | null) => (value === null ? appender.appendNull() : appender.appendVarchar(value));

export class Staging {
  private readonly stores = new Map<string, Store>();
  private readonly products = new Map<string, Product>();
  private readonly campaigns = new Map<string, Campaign>();

  private constructor(
    private readonly connection: DuckDBConnection,
    private readonly lines: DuckDBAppender,
    private readonly customers: DuckDBAppender,
    private readonly members: DuckDBAppender,
  ) {}

  static async create(connection: DuckDBConnection): Promise<Staging> {
    await connection.run(STAGING_SQL);
    const appender = (table: string) => connection.createAppender(table, 'main', 'temp');
    return new Staging(connection, await appender('stage_lines'), await appender('stage_customers'), await appender('stage_members'));
  }

  orderLine(l: OrderLine): void {
    const a = this.lines;
    a.appendInteger(l.line);
    a.appendVarchar(l.orderKey);
    appendText(a, l.customerKey);
    a.appendVarchar(l.orderedAt);
    a.appendVarchar(l.channel);
    a.appendVarchar(l.storeKey);
    a.appendVarchar(l.productKey);
    a.appendInteger(l.quantity);
    a.appendDouble(l.unitPrice);
    a.appendDouble(l.amount);
    a.endRow();
  }

  customer(key: string, facts: CustomerFacts): void {
    const a = this.customers;
    a.appendVarchar(key);
    appendText(a, facts.signupDate);
    appendText(a, facts.signupChannel);
    appendText(a, facts.region);
    a.endRow();
  }

  member(m: CampaignMember): void {
    const a = this.members;
    a.appendVarchar(m.campaignKey);
    a.appendVarchar(m.customerKey);
    a.appendVarchar(m.group);
    a.appendVarchar(m.assignedAt);
    appendText(a, m.sentAt);
    a.endRow();
  }

  /** The first description of a key wins (a file may describe a store or product on every line). */
  store(key: string, store: Store): void {
    if (!this.stores.has(key)) this.stores.set(key, store);
  }

  product(key: string, product: Product): void {
    if (!this.products.has(key)) this.products.set(key, product);
  }

  campaign(key: string, campaign: Campaign): void {
    if (!this.campaigns.has(key)) this.campaigns.set(key, campaign);
  }

  /** Flushes the appenders and writes the collected stores, products and campaigns. */
  async finish(): Promise<void> {
    for (const a of [this.lines, this.customers, this.members]) a.closeSync();
    const rows = async <T>(table: string, entries: Map<string, T>, append: (a: DuckDBAppender, key: string, value: T) => void) => {
      const a = await this.connection.createAppender(table, 'main', 'temp');
      for (const [key, value] of entries) {
        a.appendVarchar(key);
        append(a, key, value);
        a.endRow();
      }
      a.closeSync();
    };
    await rows('stage_stores', this.stores, (a, _k, s) => [s.name, s.prefecture, s.region, s.format].forEach((v) => a.appendVarchar(v)));
    await rows('stage_products', this.products, (a, _k, p) => {
      [p.category, p.subcategory, p.brand].forEach((v) => a.appendVarchar(v));
      a.appendDouble(p.unitPrice);
    });
    await rows('stage_campaigns', this.campaigns, (a, _k, c) => {
      [c.name, c.channel, c.objective, c.startDate, c.endDate].forEach((v) => a.appendVarchar(v));
      a.appendInteger(c.attributionDays);
    });
  }
}
