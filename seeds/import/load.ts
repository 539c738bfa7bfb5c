/**
 * Replaces one tenant's rows with the staged ones, in one transaction: a failure anywhere rolls
 * back to the warehouse as it was. Warehouse keys are allocated above every key already in the
 * file (the tenant's old rows included, so a key is never deleted and re-inserted in the same
 * transaction), because imported tenants share the key space with the demo and other imports.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { ROLLUPS_OUTDATED_TABLE, SCHEMA_IF_MISSING_SQL } from '../warehouseFile.js';
import type { Currency } from './format.js';

/** Every row of a tenant, children first. */
const DELETE_TENANT_SQL = `
  DELETE FROM order_items WHERE order_id IN (SELECT order_id FROM orders WHERE tenant_id = $tenant);
  DELETE FROM campaign_members WHERE campaign_id IN (SELECT campaign_id FROM campaigns WHERE tenant_id = $tenant);
  DELETE FROM customer_tiers WHERE customer_id IN (SELECT customer_id FROM customers WHERE tenant_id = $tenant);
  DELETE FROM customer_predictions WHERE tenant_id = $tenant;
  DELETE FROM clv_fits WHERE tenant_id = $tenant;
  DELETE FROM clv_tracking_weeks WHERE tenant_id = $tenant;
  DELETE FROM clv_tracking_groups WHERE tenant_id = $tenant;
  DELETE FROM source_keys WHERE tenant_id = $tenant;
  DELETE FROM orders WHERE tenant_id = $tenant;
  DELETE FROM campaigns WHERE tenant_id = $tenant;
  DELETE FROM inquiries WHERE tenant_id = $tenant;
  DELETE FROM kpi_targets WHERE tenant_id = $tenant;
  DELETE FROM customers WHERE tenant_id = $tenant;
  DELETE FROM products WHERE tenant_id = $tenant;
  DELETE FROM stores WHERE tenant_id = $tenant;
  DELETE FROM tenants WHERE tenant_id = $tenant;
`;

/** Staged keys → new warehouse keys (temp tables named <entity>_map). */
const KEY_MAPS_SQL = `
  CREATE OR REPLACE TEMP TABLE key_base AS SELECT
    (SELECT COALESCE(max(store_id), 0) FROM stores) AS store_base,
    (SELECT COALESCE(max(product_id), 0) FROM products) AS product_base,
    (SELECT COALESCE(max(customer_id), 0) FROM customers) AS customer_base,
    (SELECT COALESCE(max(order_id), 0) FROM orders) AS order_base,
    (SELECT COALESCE(max(campaign_id), 0) FROM campaigns) AS campaign_base;

  CREATE OR REPLACE TEMP TABLE store_map AS
  SELECT s.*, k.store_base + row_number() OVER (ORDER BY s.store_key) AS store_id FROM stage_stores s, key_base k;

  CREATE OR REPLACE TEMP TABLE product_map AS
  SELECT p.*, k.product_base + row_number() OVER (ORDER BY p.product_key) AS product_id FROM stage_products p, key_base k;

  CREATE OR REPLACE TEMP TABLE order_map AS
  SELECT o.*, k.order_base + row_number() OVER (ORDER BY o.ordered_at, o.order_key) AS order_id
  FROM (SELECT order_key, min(CAST(ordered_at AS TIMESTAMP)) AS ordered_at, max(customer_key) AS customer_key,
          arg_min(store_key, line) AS store_key, arg_min(channel, line) AS channel, sum(amount) AS net_amount
        FROM stage_lines GROUP BY order_key) o, key_base k;

  CREATE OR REPLACE TEMP TABLE customer_map AS
  WITH first_orders AS (
    SELECT customer_key, min(ordered_at) AS first_at, arg_min(store_key, ordered_at) AS store_key, arg_min(channel, ordered_at) AS channel
    FROM order_map WHERE customer_key IS NOT NULL GROUP BY customer_key
  ),
  keys AS (SELECT customer_key FROM first_orders UNION SELECT customer_key FROM stage_customers)
  SELECT keys.customer_key, k.customer_base + row_number() OVER (ORDER BY f.first_at NULLS LAST, keys.customer_key) AS customer_id,
    COALESCE(CAST(s.signup_date AS DATE), CAST(f.first_at AS DATE)) AS signup_date,
    COALESCE(s.signup_channel, f.channel) AS signup_channel,
    COALESCE(s.region, st.region) AS region,
    st.store_id AS home_store_id
  FROM keys LEFT JOIN (SELECT DISTINCT ON (customer_key) * FROM stage_customers) s USING (customer_key)
  LEFT JOIN first_orders f USING (customer_key) LEFT JOIN store_map st ON st.store_key = f.store_key, key_base k;

  CREATE OR REPLACE TEMP TABLE campaign_map AS
  SELECT c.*, k.campaign_base + row_number() OVER (ORDER BY c.campaign_key) AS campaign_id FROM stage_campaigns c, key_base k;
`;

const INSERT_SQL = `
  INSERT INTO tenants (tenant_id, name, fiscal_year_start_month, currency, dormancy_days) VALUES ($tenant, $name, $fiscal, $currency, $dormancy);
  INSERT INTO stores SELECT store_id, $tenant, name, prefecture, region, format FROM store_map ORDER BY store_id;
  INSERT INTO products SELECT product_id, $tenant, category, subcategory, brand, CAST(round(unit_price, 2) AS DECIMAL(18,2)) FROM product_map ORDER BY product_id;
  INSERT INTO customers (customer_id, tenant_id, signup_date, signup_channel, region, home_store_id, email_opt_in, line_linked)
    SELECT customer_id, $tenant, signup_date, signup_channel, region, home_store_id, false, false FROM customer_map ORDER BY customer_id;
  INSERT INTO orders
    SELECT o.order_id, $tenant, c.customer_id, s.store_id, o.channel, o.ordered_at,
      CAST(round(o.net_amount, 2) AS DECIMAL(18,2)), 0, CAST(round(o.net_amount, 2) AS DECIMAL(18,2)), NULL, 0, 0
    FROM order_map o JOIN store_map s USING (store_key) LEFT JOIN customer_map c USING (customer_key) ORDER BY o.order_id;
  INSERT INTO order_items
    SELECT o.order_id, CAST(row_number() OVER (PARTITION BY o.order_id ORDER BY l.line) AS INTEGER), p.product_id, l.quantity,
      CAST(round(l.unit_price, 2) AS DECIMAL(18,2)), CAST(round(l.amount, 2) AS DECIMAL(18,2))
    FROM stage_lines l JOIN order_map o USING (order_key) JOIN product_map p USING (product_key) ORDER BY 1, 2;
  INSERT INTO campaigns
    SELECT campaign_id, $tenant, name, channel, objective, CAST(start_date AS DATE), CAST(end_date AS DATE), attribution_days FROM campaign_map ORDER BY campaign_id;
  INSERT INTO campaign_members (campaign_id, customer_id, group_name, assigned_at, sent_at)
    SELECT c.campaign_id, cu.customer_id, m.group_name, CAST(m.assigned_at AS TIMESTAMP), CAST(m.sent_at AS TIMESTAMP)
    FROM stage_members m JOIN campaign_map c USING (campaign_key) JOIN customer_map cu USING (customer_key) ORDER BY 1, 2;
  INSERT INTO source_keys
    SELECT $tenant, 'store', store_id, store_key FROM store_map
    UNION ALL SELECT $tenant, 'product', product_id, product_key FROM product_map
    UNION ALL SELECT $tenant, 'customer', customer_id, customer_key FROM customer_map
    UNION ALL SELECT $tenant, 'order', order_id, order_key FROM order_map
    UNION ALL SELECT $tenant, 'campaign', campaign_id, campaign_key FROM campaign_map;
`;

export interface LoadedRows {
  customers: number;
  orders: number;
  order_items: number;
  campaign_members: number;
}

/** What a tenant row says besides its name: given values win, a re-import keeps the tenant's, a new tenant takes the defaults. */
export interface TenantSettings {
  fiscalYearStartMonth?: number;
  currency?: Currency;
  dormancyDays?: number;
  /** The data set's currency, for a new tenant told none. */
  defaultCurrency: Currency;
}

export async function replaceTenant(connection: DuckDBConnection, tenant: string, name: string, settings: TenantSettings): Promise<LoadedRows> {
  const count = async (sql: string) => Number((await connection.runAndReadAll(sql)).getRows()[0][0]);
  await connection.run('BEGIN TRANSACTION');
  try {
    await connection.run(SCHEMA_IF_MISSING_SQL);
    // A re-import keeps the tenant's fiscal year, currency and dormancy days unless given; a new tenant starts
    // in April, in its data set's currency.
    const kept = (await connection.runAndReadAll('SELECT fiscal_year_start_month, currency, dormancy_days FROM tenants WHERE tenant_id = $tenant', { tenant })).getRows()[0];
    const params = {
      tenant,
      name,
      fiscal: settings.fiscalYearStartMonth ?? (kept === undefined ? 4 : Number(kept[0])),
      currency: settings.currency ?? (kept === undefined ? settings.defaultCurrency : String(kept[1])),
      dormancy: settings.dormancyDays ?? (kept === undefined || kept[2] === null ? 180 : Number(kept[2])),
    };
    await connection.run(KEY_MAPS_SQL);
    // DuckDB binds parameters per statement, so the scripts run statement by statement.
    for (const sql of [...statements(DELETE_TENANT_SQL), ...statements(INSERT_SQL)]) {
      await connection.run(sql, Object.fromEntries(Object.entries(params).filter(([key]) => sql.includes(`$${key}`))));
    }
    // In the same transaction: committed rows always come with the note that the rollups are older.
    await connection.run(`CREATE TABLE IF NOT EXISTS ${ROLLUPS_OUTDATED_TABLE} (since TIMESTAMP)`);
    await connection.run('COMMIT');
  } catch (e) {
    await connection.run('ROLLBACK');
    throw e;
  }
  return {
    customers: await count('SELECT count(*) FROM customer_map'),
    orders: await count('SELECT count(*) FROM order_map'),
    order_items: await count('SELECT count(*) FROM stage_lines'),
    campaign_members: await count('SELECT count(*) FROM stage_members'),
  };
}

const statements = (script: string) =>
  script
    .split(/;\s*\n/)
    .map((s) => s.trim().replace(/;$/, ''))
    .filter(Boolean);
