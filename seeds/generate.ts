/**
 * The deterministic synthetic CRM warehouse. Every value derives from hash(seed, row id, salt)
 * inside DuckDB, set-based, so the same arguments give the same warehouse at any size and a
 * million customers take minutes, not hours.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JAPAN_PREFECTURES, FAMILY_NAMES, GIVEN_NAMES, TENANT_PROFILES } from './vocabulary.js';

export const DEFAULT_REFERENCE_DATE = '2026-10-31';
export const SCHEMA_SQL = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'schema.sql'), 'utf8');
export const TABLES = [
  'tenants', 'stores', 'customers', 'products', 'orders', 'order_items',
  'campaigns', 'campaign_members', 'customer_tiers', 'inquiries', 'kpi_targets',
] as const;

export interface GenerateOptions {
  out: string;
  customers?: number;
  tenants?: number;
  years?: number;
  seed?: number;
  /** Last day of data, the reference date of every as-of metric. */
  endDate?: string;
  onProgress?: (step: string, done: number, total: number) => void;
}

export interface GenerateSummary {
  rows: Record<(typeof TABLES)[number], number>;
  seconds: number;
}

const sqlList = (values: string[]) => values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');

/** The generation steps, in order; each is one SQL script over the tables before it. */
function steps(o: Required<Omit<GenerateOptions, 'out' | 'onProgress'>>): [string, string][] {
  const { customers, tenants, years, seed, endDate } = o;
  return [
    ['helpers', `
      -- u(id, k, salt): a uniform number in [0, 1) fixed by the seed, the row and a salt.
      CREATE MACRO u(id, k, salt) AS (hash(${seed}, id, k, salt) % 1000003) / 1000003.0;
      -- z(id, k, salt): a standard normal number (Box-Muller on two uniforms).
      CREATE MACRO z(id, k, salt) AS sqrt(-2 * ln(greatest(u(id, k, salt || '1'), 1e-9))) * cos(2 * pi() * u(id, k, salt || '2'));
      CREATE TABLE params AS SELECT DATE '${endDate}' AS end_date,
        CAST(DATE '${endDate}' - INTERVAL ${years} YEAR + INTERVAL 1 DAY AS DATE) AS start_date;
      -- Month weights: December (year-end and winter gifts) and July (summer gifts) peak, February is quiet.
      CREATE TABLE season AS SELECT * FROM (VALUES
        (1, 0.95), (2, 0.75), (3, 0.95), (4, 0.9), (5, 0.9), (6, 0.95),
        (7, 1.25), (8, 0.9), (9, 0.85), (10, 0.95), (11, 1.1), (12, 1.6)) s(month, weight);
      CREATE TABLE prefectures AS SELECT * FROM (VALUES ${JAPAN_PREFECTURES.map(([p, r, w], i) => `(${i}, '${p}', '${r}', ${w})`).join(', ')}) p(idx, prefecture, region, weight);
      CREATE TABLE prefecture_pick AS SELECT idx, prefecture, region,
        SUM(weight) OVER (ORDER BY idx) / SUM(weight) OVER () AS cum_to,
        (SUM(weight) OVER (ORDER BY idx) - weight) / SUM(weight) OVER () AS cum_from FROM prefectures;
      CREATE TABLE family_names AS SELECT unnest([${sqlList(FAMILY_NAMES)}]) AS name, generate_subscripts([${sqlList(FAMILY_NAMES)}], 1) - 1 AS idx;
      CREATE TABLE given_names AS SELECT unnest([${sqlList(GIVEN_NAMES.map(([n]) => n))}]) AS name,
        unnest([${sqlList(GIVEN_NAMES.map(([, g]) => g))}]) AS gender, generate_subscripts([${sqlList(GIVEN_NAMES.map(([n]) => n))}], 1) - 1 AS idx;
    `],
    ['tenants', `
      INSERT INTO tenants SELECT printf('t%02d', i), profile.name FROM range(1, ${tenants + 1}) t(i),
        (SELECT unnest([${TENANT_PROFILES.map((t) => `{'i': ${t.index}, 'name': '${t.name}', 'format': '${t.format}'}`).join(', ')}]) AS profile) p
        WHERE profile.i = (i - 1) % ${TENANT_PROFILES.length};
      CREATE TABLE tenant_format AS SELECT printf('t%02d', i) AS tenant_id, profile.format AS format, i AS tenant_no
        FROM range(1, ${tenants + 1}) t(i), (SELECT unnest([${TENANT_PROFILES.map((t) => `{'i': ${t.index}, 'format': '${t.format}'}`).join(', ')}]) AS profile) p
        WHERE profile.i = (i - 1) % ${TENANT_PROFILES.length};
    `],
    ['stores', `
      -- 24 physical stores per tenant in prefectures weighted by population, plus one EC "store" (id ...000).
      INSERT INTO stores
      SELECT t.tenant_no * 1000 + k, t.tenant_id, p.prefecture || ' ' || (CASE k % 3 WHEN 0 THEN 'Central' WHEN 1 THEN 'Station' ELSE 'Mall' END) || ' #' || k,
        p.prefecture, p.region, t.format
      FROM tenant_format t, range(1, 25) s(k)
      JOIN prefecture_pick p ON u(t.tenant_no * 1000 + k, 0, 'store-pref') >= p.cum_from AND u(t.tenant_no * 1000 + k, 0, 'store-pref') < p.cum_to;
      INSERT INTO stores SELECT tenant_no * 1000, tenant_id, 'Online store', 'Tokyo', 'Kanto', 'ec' FROM tenant_format;
    `],
    ['products', `
      -- 300 products per tenant; prices log-normal around ¥2,000 (from ¥100 to ¥80,000).
      INSERT INTO products
      SELECT t.tenant_no * 100000 + k, t.tenant_id, c.category, c.subcategory,
        'Brand ' || chr(65 + CAST(floor(u(t.tenant_no * 100000 + k, 0, 'brand') * 20) AS INTEGER)),
        CAST(least(80000, greatest(100, round(exp(7.4 + 0.9 * z(t.tenant_no * 100000 + k, 0, 'price')) / 10) * 10)) AS DECIMAL(18,2))
      FROM tenant_format t, range(300) r(k),
        (SELECT * FROM (VALUES (0, 'beauty', 'skincare'), (1, 'beauty', 'makeup'), (2, 'fashion', 'womens'), (3, 'fashion', 'mens'),
          (4, 'food', 'sweets'), (5, 'food', 'deli'), (6, 'home', 'kitchen'), (7, 'home', 'interior'), (8, 'health', 'supplements'),
          (9, 'gift', 'seasonal gift')) c(idx, category, subcategory)) c
      WHERE c.idx = k % 10;
      CREATE TABLE product_pick AS SELECT product_id, tenant_id, unit_price,
        row_number() OVER (PARTITION BY tenant_id ORDER BY product_id) - 1 AS idx FROM products;
    `],
    ['customers', `
      -- Members: signups spread over the data years and two years before (existing members),
      -- with latent traits (purchase rate, basket size, lifetime) that drive their orders.
      CREATE TABLE customer_latent AS
      SELECT id AS customer_id,
        (SELECT tenant_id FROM tenant_format WHERE tenant_no = 1 + CAST(floor(pow(u(id, 0, 'tenant'), 1.3) * ${tenants}) AS INTEGER)) AS tenant_id,
        CAST((SELECT start_date FROM params) - INTERVAL 730 DAY
          + to_days(CAST(floor(pow(u(id, 0, 'signup'), 0.8) * (${years} * 365 + 730)) AS INTEGER)) AS DATE) AS signup_date,
        u(id, 0, 'channel') AS channel_u,
        -- 35 % buy once and never again; the rest buy at a log-normal yearly rate (median ~3.2/yr, a loyal tail above 20/yr).
        CASE WHEN u(id, 0, 'onetimer') < 0.35 THEN 0 ELSE least(40, exp(1.15 + 0.85 * z(id, 0, 'rate'))) END AS yearly_rate,
        exp(0.45 * z(id, 0, 'basket')) AS basket_level,
        -- Active lifetime after the first order (years): exponential, mean 4 years, so some go dormant.
        -4.0 * ln(greatest(u(id, 0, 'lifetime'), 1e-9)) AS lifetime_years,
        -- 8 % of members never order; most order on signup day, the rest within two months.
        u(id, 0, 'never') < 0.08 AS never_orders,
        CASE WHEN u(id, 0, 'firstday') < 0.65 THEN 0 ELSE CAST(floor(u(id, 1, 'firstday') * 60) AS INTEGER) END AS first_delay_days,
        18 + CAST(floor(least(67, greatest(0, 22 + 14 * z(id, 0, 'age')))) AS INTEGER) AS age_at_end
      FROM range(1, ${customers + 1}) r(id);

      INSERT INTO customers
      SELECT c.customer_id, c.tenant_id, c.signup_date,
        CASE WHEN channel_u < 0.45 THEN 'store' WHEN channel_u < 0.65 THEN 'ec' WHEN channel_u < 0.80 THEN 'app' WHEN channel_u < 0.95 THEN 'line' ELSE 'event' END,
        CAST((SELECT end_date FROM params) - to_days(age_at_end * 365 + CAST(floor(u(c.customer_id, 0, 'birthday') * 365) AS INTEGER)) AS DATE),
        g.gender, s.prefecture, s.region, s.store_id,
        u(c.customer_id, 0, 'optin') < 0.6,
        channel_u >= 0.80 AND channel_u < 0.95 OR u(c.customer_id, 0, 'line') < 0.25,
        f.name || ' ' || g.name,
        lower(g.name) || '.' || lower(f.name) || c.customer_id || '@example.jp',
        printf('0%d0-%04d-%04d', 7 + CAST(floor(u(c.customer_id, 0, 'phone-a') * 3) AS INTEGER),
          CAST(floor(u(c.customer_id, 0, 'phone-b') * 10000) AS INTEGER), CAST(floor(u(c.customer_id, 0, 'phone-c') * 10000) AS INTEGER))
      FROM customer_latent c
      JOIN family_names f ON f.idx = CAST(floor(u(c.customer_id, 0, 'family') * (SELECT count(*) FROM family_names)) AS INTEGER)
      JOIN given_names g ON g.idx = CAST(floor(u(c.customer_id, 0, 'given') * (SELECT count(*) FROM given_names)) AS INTEGER)
      JOIN (SELECT store_id, tenant_id, prefecture, region, row_number() OVER (PARTITION BY tenant_id ORDER BY store_id) - 1 AS idx
            FROM stores WHERE format <> 'ec') s
        ON s.tenant_id = c.tenant_id AND s.idx = CAST(floor(u(c.customer_id, 0, 'home') * 24) AS INTEGER);
    `],
    ['orders', `
      -- Member orders: the first on signup (+ delay; members who joined before the data window
      -- first appear in its first four months), then candidate dates spread over the active
      -- lifetime at the customer's rate, kept with the month's seasonal weight.
      CREATE TABLE customer_first AS
      SELECT c.*, greatest(CAST(c.signup_date + to_days(c.first_delay_days) AS DATE),
        CAST((SELECT start_date FROM params) + to_days(CAST(floor(u(c.customer_id, 0, 'existing') * 120) AS INTEGER)) AS DATE)) AS first_date
      FROM customer_latent c WHERE NOT c.never_orders;
      CREATE TABLE customer_activity AS
      SELECT c.customer_id, c.tenant_id, c.yearly_rate, c.basket_level, cu.signup_channel, cu.home_store_id, c.first_date,
        least((SELECT end_date FROM params), CAST(c.first_date + to_days(CAST(c.lifetime_years * 365 AS INTEGER)) AS DATE)) AS active_until
      FROM customer_first c JOIN customers cu USING (customer_id)
      WHERE c.first_date <= (SELECT end_date FROM params);

      CREATE TABLE member_order_dates AS
      SELECT customer_id, 0 AS k, CAST(first_date AS TIMESTAMP) + to_seconds(CAST(9 * 3600 + floor(u(customer_id, 0, 'hour') * 12 * 3600) AS BIGINT)) AS ordered_at
      FROM customer_activity
      UNION ALL
      SELECT a.customer_id, k, CAST(a.first_date AS TIMESTAMP)
        + to_seconds(CAST(1 + floor(u(a.customer_id, k, 'when') * (date_diff('day', a.first_date, a.active_until)) ) AS BIGINT) * 86400
          + CAST(9 * 3600 + floor(u(a.customer_id, k, 'hour') * 12 * 3600) AS BIGINT))
      FROM customer_activity a, range(1, 1 + CAST(ceil(1.4 * a.yearly_rate * date_diff('day', a.first_date, a.active_until) / 365.0) AS BIGINT)) r(k)
      WHERE a.active_until > a.first_date;
      DELETE FROM member_order_dates d WHERE k > 0 AND (ordered_at >= (SELECT end_date FROM params) + INTERVAL 1 DAY
        OR u(customer_id, k, 'season') * 1.6 * 1.4 > (SELECT weight FROM season WHERE month = month(d.ordered_at)));

      -- Non-members (customer_id NULL): about 15 % of orders, mostly in stores.
      CREATE TABLE order_heads AS
      SELECT d.customer_id, d.k, a.tenant_id, d.ordered_at, a.basket_level,
        CASE WHEN u(d.customer_id, d.k, 'ch') < (CASE a.signup_channel WHEN 'ec' THEN 0.25 WHEN 'app' THEN 0.35 WHEN 'line' THEN 0.5 ELSE 0.75 END) THEN 'store'
             WHEN u(d.customer_id, d.k, 'ch2') < 0.55 THEN 'ec' ELSE 'app' END AS channel,
        a.home_store_id, NULL::BIGINT AS coupon_id
      FROM member_order_dates d JOIN customer_activity a USING (customer_id);
      INSERT INTO order_heads
      SELECT NULL, k, t.tenant_id, CAST((SELECT start_date FROM params) AS TIMESTAMP)
          + to_seconds(CAST(floor(u(-1, k, 'nm-when') * ${years} * 365) AS BIGINT) * 86400 + CAST(9 * 3600 + floor(u(-1, k, 'nm-hour') * 12 * 3600) AS BIGINT)),
        exp(0.4 * z(-1, k, 'nm-basket')) * 0.8,
        CASE WHEN u(-1, k, 'nm-ch') < 0.85 THEN 'store' ELSE 'ec' END,
        t.tenant_no * 1000 + 1 + CAST(floor(u(-1, k, 'nm-store') * 24) AS INTEGER), NULL
      FROM range((SELECT CAST(count(*) * 0.27 AS BIGINT) FROM member_order_dates)) r(k)
      JOIN tenant_format t ON t.tenant_no = 1 + CAST(floor(pow(u(-1, k, 'nm-tenant'), 1.3) * ${tenants}) AS INTEGER)
      WHERE u(-1, k, 'nm-season') * 1.6 <= (SELECT weight FROM season WHERE month = month(CAST((SELECT start_date FROM params) AS TIMESTAMP)
          + to_seconds(CAST(floor(u(-1, k, 'nm-when') * ${years} * 365) AS BIGINT) * 86400)));
    `],
    ['campaigns', `
      -- A dozen campaigns per tenant per year, one objective each, randomized 80/20 treatment/control.
      INSERT INTO campaigns
      SELECT t.tenant_no * 10000 + m, t.tenant_id,
        upper(obj[1]) || replace(obj[2:], '_', ' ') || ' ' || strftime(start_d, '%Y-%m') || ' (' || ch || ')', ch, obj, start_d, CAST(start_d + INTERVAL 13 DAY AS DATE),
        CASE WHEN ch = 'coupon' THEN 14 ELSE 30 END
      FROM tenant_format t, range(${years * 12}) r(m),
        LATERAL (SELECT CAST(date_trunc('month', (SELECT start_date FROM params)) + to_months(CAST(m AS INTEGER)) + INTERVAL 4 DAY AS DATE) AS start_d,
          ['welcome', 'reactivation', 'cross_sell', 'loyalty'][1 + CAST((m + t.tenant_no) % 4 AS INTEGER)] AS obj,
          ['email', 'line', 'dm', 'app_push', 'coupon'][1 + CAST(floor(u(t.tenant_no, m, 'camp-ch') * 5) AS INTEGER)] AS ch) x
      WHERE start_d + INTERVAL 13 DAY <= (SELECT end_date FROM params);

      -- Eligibility by objective, from the customers' order history before the start.
      CREATE TABLE history AS SELECT customer_id, min(ordered_at) AS first_at, max(ordered_at) AS last_at FROM member_order_dates GROUP BY ALL;
      CREATE TABLE member_pool AS
      SELECT c.campaign_id, c.objective, c.channel AS campaign_channel, c.start_date, c.attribution_days, cu.customer_id, cu.tenant_id,
        date_diff('year', cu.birth_date, c.start_date) AS age, cu.line_linked, cu.email_opt_in
      FROM campaigns c JOIN customers cu ON cu.tenant_id = c.tenant_id
      LEFT JOIN (SELECT customer_id, first_at, last_at FROM history) h ON h.customer_id = cu.customer_id
      WHERE u(c.campaign_id, cu.customer_id, 'sample') < CASE c.objective WHEN 'welcome' THEN 0.9 ELSE 0.12 END
        AND CASE c.objective
          WHEN 'welcome' THEN cu.signup_date BETWEEN c.start_date - INTERVAL 60 DAY AND c.start_date - INTERVAL 1 DAY
          WHEN 'reactivation' THEN h.first_at < c.start_date AND h.last_at < c.start_date - INTERVAL 180 DAY
          ELSE h.first_at < c.start_date - INTERVAL 30 DAY AND h.last_at >= c.start_date - INTERVAL 365 DAY END;

      INSERT INTO campaign_members
      SELECT campaign_id, customer_id, CASE WHEN u(campaign_id, customer_id, 'group') < 0.8 THEN 'treatment' ELSE 'control' END,
        CAST(start_date AS TIMESTAMP) + INTERVAL 9 HOUR, NULL, NULL, NULL, NULL
      FROM member_pool;
      UPDATE campaign_members SET sent_at = assigned_at + INTERVAL 1 HOUR WHERE group_name = 'treatment';
      UPDATE campaign_members SET opened_at = sent_at + to_seconds(CAST(600 + floor(u(campaign_id, customer_id, 'open-t') * 86400) AS BIGINT))
        WHERE group_name = 'treatment' AND u(campaign_id, customer_id, 'open') < 0.42;
      UPDATE campaign_members SET clicked_at = opened_at + to_seconds(CAST(30 + floor(u(campaign_id, customer_id, 'click-t') * 3600) AS BIGINT))
        WHERE opened_at IS NOT NULL AND u(campaign_id, customer_id, 'click') < 0.35;

      -- The real effect: treated members place an extra order in the attribution window with a
      -- probability that depends on who they are, so lift is positive and differs by segment.
      CREATE TABLE campaign_orders AS
      SELECT p.customer_id, p.campaign_id, p.tenant_id, p.campaign_channel,
        CAST(p.start_date AS TIMESTAMP) + to_seconds(CAST(floor(u(p.campaign_id, p.customer_id, 'conv-t') * (p.attribution_days - 1) * 86400) AS BIGINT) + 36000) AS ordered_at
      FROM member_pool p JOIN campaign_members m USING (campaign_id, customer_id)
      WHERE m.group_name = 'treatment' AND u(p.campaign_id, p.customer_id, 'convert') <
        (CASE p.objective WHEN 'welcome' THEN 0.07 WHEN 'reactivation' THEN 0.04 WHEN 'cross_sell' THEN 0.03 ELSE 0.02 END)
        * (CASE WHEN p.age < 35 THEN 2.0 WHEN p.age >= 60 THEN 0.3 ELSE 1.0 END)
        * (CASE WHEN p.line_linked AND p.campaign_channel = 'line' THEN 2.0 ELSE 1.0 END)
        * (CASE WHEN p.campaign_channel = 'coupon' THEN 1.5 WHEN p.campaign_channel = 'dm' THEN 0.6 ELSE 1.0 END)
        AND CAST(p.start_date AS TIMESTAMP) + to_seconds(CAST(floor(u(p.campaign_id, p.customer_id, 'conv-t') * (p.attribution_days - 1) * 86400) AS BIGINT) + 36000)
          < (SELECT end_date FROM params) + INTERVAL 1 DAY;
      UPDATE campaign_members m SET redeemed_at = o.ordered_at FROM campaign_orders o
        WHERE m.campaign_id = o.campaign_id AND m.customer_id = o.customer_id AND o.campaign_channel = 'coupon';
      INSERT INTO order_heads
      SELECT o.customer_id, 1000000 + row_number() OVER (PARTITION BY o.customer_id ORDER BY o.campaign_id), o.tenant_id, o.ordered_at, a.basket_level,
        CASE WHEN o.campaign_channel IN ('email', 'line', 'app_push') THEN 'ec' ELSE 'store' END, a.home_store_id,
        CASE WHEN o.campaign_channel = 'coupon' THEN o.campaign_id END
      FROM campaign_orders o JOIN customer_activity a USING (customer_id);
    `],
    ['order lines', `
      -- Order ids in time order; 1-6 lines each from the tenant's catalogue.
      CREATE TABLE numbered_orders AS
      SELECT row_number() OVER (ORDER BY ordered_at, tenant_id, customer_id NULLS FIRST, k) AS order_id, * FROM order_heads;
      CREATE TABLE lines AS
      SELECT o.order_id, CAST(l AS INTEGER) AS line_no, p.product_id,
        CAST(1 + floor(pow(u(o.order_id, l, 'qty'), 2.5) * 3 * o.basket_level) AS INTEGER) AS quantity, p.unit_price
      FROM numbered_orders o, range(1, 2 + CAST(floor(pow(u(o.order_id, 0, 'lines'), 1.5) * 5) AS BIGINT)) r(l)
      JOIN product_pick p ON p.tenant_id = o.tenant_id AND p.idx = CAST(floor(u(o.order_id, l, 'product') * 300) AS INTEGER);
      INSERT INTO order_items SELECT order_id, line_no, product_id, quantity, unit_price, CAST(quantity * unit_price AS DECIMAL(18,2)) FROM lines;
    `],
    ['order totals', `
      INSERT INTO orders
      SELECT o.order_id, o.tenant_id, o.customer_id,
        CASE WHEN o.channel = 'store' THEN COALESCE(o.home_store_id, (SELECT tenant_no FROM tenant_format f WHERE f.tenant_id = o.tenant_id) * 1000 + 1)
             ELSE (SELECT tenant_no FROM tenant_format f WHERE f.tenant_id = o.tenant_id) * 1000 END,
        o.channel, o.ordered_at, t.gross, d.discount, t.gross - d.discount, o.coupon_id,
        CASE WHEN o.customer_id IS NOT NULL AND u(o.order_id, 0, 'points') < 0.08 THEN CAST(least(t.gross * 0.2, 3000) AS INTEGER) ELSE 0 END,
        CASE WHEN o.customer_id IS NOT NULL THEN CAST(floor((t.gross - d.discount) / 100) AS INTEGER) ELSE 0 END
      FROM numbered_orders o
      JOIN (SELECT order_id, CAST(sum(quantity * unit_price) AS DECIMAL(18,2)) AS gross FROM lines GROUP BY order_id) t USING (order_id),
      LATERAL (SELECT CAST(CASE WHEN o.coupon_id IS NOT NULL THEN round(t.gross * 0.15)
                               WHEN o.customer_id IS NOT NULL AND u(o.order_id, 0, 'disc') < 0.07 THEN round(t.gross * 0.1)
                               ELSE 0 END AS DECIMAL(18,2)) AS discount) d;
    `],
    ['tiers', `
      -- Tiers for each calendar year from the previous year's spend (regular < ¥30k <= silver
      -- < ¥80k <= gold < ¥150k <= platinum), as intervals merged over unchanged years.
      CREATE TABLE yearly_tier AS
      WITH years AS (SELECT c.customer_id, greatest(c.signup_date, y.year_start) AS valid_from, y.year_start
        FROM customers c, (SELECT CAST(make_date(y, 1, 1) AS DATE) AS year_start
          FROM range(year((SELECT start_date FROM params)) - 2, year((SELECT end_date FROM params)) + 1) r(y)) y
        WHERE c.signup_date < y.year_start + INTERVAL 1 YEAR AND y.year_start <= (SELECT end_date FROM params)),
      spend AS (SELECT customer_id, year(ordered_at) AS y, sum(net_amount) AS s FROM orders WHERE customer_id IS NOT NULL GROUP BY ALL)
      SELECT years.customer_id, years.valid_from,
        CASE WHEN s >= 150000 THEN 'platinum' WHEN s >= 80000 THEN 'gold' WHEN s >= 30000 THEN 'silver' ELSE 'regular' END AS tier
      FROM years LEFT JOIN spend ON spend.customer_id = years.customer_id AND spend.y = year(years.year_start) - 1;
      INSERT INTO customer_tiers
      SELECT customer_id, tier, valid_from, CAST(lead(valid_from) OVER (PARTITION BY customer_id ORDER BY valid_from) - INTERVAL 1 DAY AS DATE)
      FROM (SELECT *, lag(tier) OVER (PARTITION BY customer_id ORDER BY valid_from) AS previous FROM yearly_tier)
      WHERE previous IS DISTINCT FROM tier;
    `],
    ['inquiries', `
      -- About one inquiry per four ordering members, after their first order; satisfaction mostly 4-5.
      INSERT INTO inquiries
      SELECT row_number() OVER (ORDER BY a.customer_id), a.tenant_id, a.customer_id,
        ['phone', 'email', 'chat', 'store'][1 + CAST(floor(u(a.customer_id, 0, 'inq-ch') * 4) AS INTEGER)],
        ['delivery', 'product', 'points', 'account', 'returns'][1 + CAST(floor(u(a.customer_id, 0, 'inq-cat') * 5) AS INTEGER)],
        opened, opened + to_seconds(CAST(600 + floor(u(a.customer_id, 0, 'inq-res') * 172800) AS BIGINT)),
        CAST(least(5, greatest(1, round(4.1 + 1.0 * z(a.customer_id, 0, 'inq-sat')))) AS SMALLINT)
      FROM customer_activity a,
        LATERAL (SELECT CAST(a.first_date AS TIMESTAMP) + to_seconds(CAST(floor(u(a.customer_id, 0, 'inq-when') * greatest(1, date_diff('day', a.first_date, (SELECT end_date FROM params))) * 86400) AS BIGINT)) AS opened) x
      WHERE u(a.customer_id, 0, 'inquiry') < 0.25;
    `],
    ['kpi targets', `
      -- Monthly targets near the actuals (x 0.95-1.10), as a planning team would set them.
      CREATE TABLE monthly_actuals AS
      SELECT tenant_id, CAST(date_trunc('month', ordered_at) AS DATE) AS month, sum(net_amount) AS revenue, count(*) AS orders,
        count(DISTINCT customer_id) AS active_customers, sum(net_amount) / count(*) AS aov
      FROM orders GROUP BY ALL;
      CREATE TABLE first_orders AS SELECT customer_id, min(ordered_at) AS first_at FROM orders WHERE customer_id IS NOT NULL GROUP BY ALL;
      INSERT INTO kpi_targets
      SELECT a.tenant_id, m.metric, a.month,
        CAST(CASE m.metric WHEN 'revenue' THEN a.revenue WHEN 'orders' THEN a.orders WHEN 'active_customers' THEN a.active_customers
          WHEN 'aov' THEN a.aov WHEN 'new_customers' THEN COALESCE(n.new_customers, 0)
          ELSE m.rate END * (0.95 + 0.15 * u(hash(a.tenant_id), epoch(a.month), m.metric)) AS DECIMAL(18,4))
      FROM monthly_actuals a
      LEFT JOIN (SELECT o.tenant_id, CAST(date_trunc('month', f.first_at) AS DATE) AS month, count(*) AS new_customers
        FROM first_orders f JOIN customers o USING (customer_id) GROUP BY ALL) n USING (tenant_id, month),
      (SELECT * FROM (VALUES ('revenue', NULL), ('orders', NULL), ('active_customers', NULL), ('aov', NULL), ('new_customers', NULL),
        ('repeat_rate', 0.55), ('churn_rate', 0.30), ('f2_conversion_90d', 0.25), ('historical_ltv', 45000.0)) v(metric, rate)) m;
    `],
    ['cleanup', `
      DROP TABLE params; DROP TABLE season; DROP TABLE prefectures; DROP TABLE prefecture_pick; DROP TABLE family_names; DROP TABLE given_names;
      DROP TABLE tenant_format; DROP TABLE product_pick; DROP TABLE customer_latent; DROP TABLE customer_first; DROP TABLE customer_activity; DROP TABLE member_order_dates;
      DROP TABLE order_heads; DROP TABLE history; DROP TABLE member_pool; DROP TABLE campaign_orders; DROP TABLE numbered_orders; DROP TABLE lines;
      DROP TABLE yearly_tier; DROP TABLE monthly_actuals; DROP TABLE first_orders;
      DROP MACRO z; DROP MACRO u;
      CHECKPOINT;
    `],
  ];
}

export async function generateWarehouse(options: GenerateOptions): Promise<GenerateSummary> {
  const o = {
    customers: options.customers ?? 50_000,
    tenants: options.tenants ?? 2,
    years: options.years ?? 3,
    seed: options.seed ?? 42,
    endDate: options.endDate ?? DEFAULT_REFERENCE_DATE,
  };
  const started = Date.now();
  // Built beside the target and renamed at the end: a failed run never leaves half a warehouse.
  const temp = `${options.out}.partial-${process.pid}`;
  mkdirSync(path.dirname(options.out), { recursive: true });
  rmSync(temp, { force: true });
  rmSync(`${temp}.wal`, { force: true });
  const instance = await DuckDBInstance.create(temp, { autoinstall_known_extensions: 'false' });
  const connection: DuckDBConnection = await instance.connect();
  const plan = steps(o);
  try {
    await connection.run(SCHEMA_SQL);
    for (const [i, [name, sql]] of plan.entries()) {
      options.onProgress?.(name, i, plan.length);
      await connection.run(sql);
    }
    options.onProgress?.('done', plan.length, plan.length);
    const rows = {} as GenerateSummary['rows'];
    for (const table of TABLES) {
      rows[table] = Number((await connection.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0][0]);
    }
    connection.closeSync();
    instance.closeSync();
    renameSync(temp, options.out);
    return { rows, seconds: (Date.now() - started) / 1000 };
  } catch (e) {
    connection.closeSync();
    instance.closeSync();
    rmSync(temp, { force: true });
    rmSync(`${temp}.wal`, { force: true });
    throw e;
  }
}
