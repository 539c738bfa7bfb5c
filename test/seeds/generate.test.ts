import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { generateWarehouse, TABLES, type GenerateSummary } from '../../seeds/generate.js';
import { queryDuckDBFile, tempDir } from '../support/duckdbFile.js';

// A small warehouse (300 customers, 1 year) checked against the schema contract and the
// invariants every metric relies on.
const tmp = tempDir();
const file = path.join(tmp.dir, 'w.duckdb');
let summary: GenerateSummary;
const one = async (sql: string) => Object.values((await queryDuckDBFile(file, sql))[0])[0];

beforeAll(async () => {
  summary = await generateWarehouse({ out: file, customers: 300, years: 1, seed: 7 });
});
afterAll(() => tmp.remove());

/** A checksum of every table's content, to compare two warehouses. */
async function fingerprint(warehouse: string): Promise<Record<string, unknown>> {
  const rows = await Promise.all(TABLES.map(async (t) => [t, (await queryDuckDBFile(warehouse, `SELECT sum(hash(${t}::VARCHAR)) AS h FROM ${t}`))[0].h]));
  return Object.fromEntries(rows);
}

describe('the generated warehouse', () => {
  it('has every table of the schema with the DESIGN.md columns', async () => {
    const columns = await queryDuckDBFile(file, "SELECT table_name, string_agg(column_name, ',' ORDER BY ordinal_position) AS cols FROM information_schema.columns WHERE table_schema = 'main' GROUP BY 1 ORDER BY 1");
    expect(Object.fromEntries(columns.map((c) => [c.table_name, c.cols]))).toEqual({
      campaign_members: 'campaign_id,customer_id,group_name,assigned_at,sent_at,opened_at,clicked_at,redeemed_at',
      campaigns: 'campaign_id,tenant_id,name,channel,objective,start_date,end_date,attribution_days',
      customer_tiers: 'customer_id,tier,valid_from,valid_to',
      customers: 'customer_id,tenant_id,signup_date,signup_channel,birth_date,gender,prefecture,region,home_store_id,email_opt_in,line_linked,name,email,phone',
      inquiries: 'inquiry_id,tenant_id,customer_id,channel,category,opened_at,resolved_at,satisfaction',
      kpi_targets: 'tenant_id,metric,month,target_value',
      order_items: 'order_id,line_no,product_id,quantity,unit_price,amount',
      orders: 'order_id,tenant_id,customer_id,store_id,channel,ordered_at,gross_amount,discount_amount,net_amount,coupon_id,points_used,points_earned',
      products: 'product_id,tenant_id,category,subcategory,brand,unit_price',
      stores: 'store_id,tenant_id,name,prefecture,region,format',
      tenants: 'tenant_id,name',
    });
    expect(summary.rows.customers).toBe(300);
    expect(summary.rows.tenants).toBe(2);
  });

  it('is the same for the same seed and differs for another', async () => {
    const again = path.join(tmp.dir, 'again.duckdb');
    const other = path.join(tmp.dir, 'other.duckdb');
    await generateWarehouse({ out: again, customers: 300, years: 1, seed: 7 });
    await generateWarehouse({ out: other, customers: 300, years: 1, seed: 8 });
    expect(await fingerprint(again)).toEqual(await fingerprint(file));
    expect((await fingerprint(other)).orders).not.toEqual((await fingerprint(file)).orders);
  });

  it('keeps order totals equal to the sum of their lines, and net = gross - discount', async () => {
    expect(await one(`SELECT count(*) FROM orders o LEFT JOIN (SELECT order_id, sum(amount) s FROM order_items GROUP BY 1) i USING (order_id)
      WHERE i.s IS DISTINCT FROM o.gross_amount OR o.net_amount <> o.gross_amount - o.discount_amount`)).toBe('0');
    expect(await one('SELECT count(*) FROM order_items WHERE amount <> quantity * unit_price')).toBe('0');
  });

  it('places every member\'s first order on or after signup, all orders inside the year ending 2026-10-31', async () => {
    expect(await one(`SELECT count(*) FROM (SELECT customer_id, min(ordered_at) f FROM orders WHERE customer_id IS NOT NULL GROUP BY 1) x
      JOIN customers c USING (customer_id) WHERE CAST(f AS DATE) < c.signup_date`)).toBe('0');
    expect(await one("SELECT CAST(min(ordered_at) AS DATE) >= DATE '2025-11-01' AND CAST(max(ordered_at) AS DATE) = DATE '2026-10-31' FROM orders")).toBe(true);
  });

  it('has non-member orders, and every order in its own tenant\'s store and customer', async () => {
    expect(Number(await one('SELECT count(*) FROM orders WHERE customer_id IS NULL'))).toBeGreaterThan(0);
    expect(await one(`SELECT count(*) FROM orders o JOIN stores s USING (store_id) LEFT JOIN customers c USING (customer_id)
      WHERE s.tenant_id <> o.tenant_id OR c.tenant_id <> o.tenant_id`)).toBe('0');
  });

  it('keeps tier intervals of a customer from overlapping', async () => {
    expect(await one(`SELECT count(*) FROM customer_tiers a JOIN customer_tiers b ON a.customer_id = b.customer_id AND a.valid_from < b.valid_from
      WHERE a.valid_to IS NULL OR a.valid_to >= b.valid_from`)).toBe('0');
  });

  it('sends to treatment only, and treatment converts more than control', async () => {
    expect(await one("SELECT count(*) FROM campaign_members WHERE group_name = 'control' AND sent_at IS NOT NULL")).toBe('0');
    // 300 customers give too few campaign members to see the effect through the noise: 5,000 do.
    const larger = path.join(tmp.dir, 'larger.duckdb');
    await generateWarehouse({ out: larger, customers: 5000, years: 2, seed: 7 });
    // Campaign conversion as DESIGN.md defines it: >= 1 order within attribution_days after assigned_at.
    const rates = await queryDuckDBFile(larger, `SELECT m.group_name, avg(CASE WHEN EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = m.customer_id
        AND o.ordered_at > m.assigned_at AND o.ordered_at <= m.assigned_at + to_days(c.attribution_days)) THEN 1.0 ELSE 0 END) AS rate
      FROM campaign_members m JOIN campaigns c USING (campaign_id) GROUP BY 1`);
    const rate = Object.fromEntries(rates.map((r) => [r.group_name, Number(r.rate)]));
    expect(rate.treatment).toBeGreaterThan(rate.control * 1.1);
  });

  it('has targets for every tenant, month and KPI', async () => {
    // 2 tenants x 12 months x 9 metrics.
    expect(await one('SELECT count(*) FROM kpi_targets')).toBe(String(2 * 12 * 9));
  });
});
