/**
 * The deterministic synthetic CRM warehouse. Every value derives from hash(seed, row id, salt)
 * inside DuckDB, set-based, so the same arguments give the same warehouse at any size and a
 * million customers take minutes, not hours.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { processRuns } from '../lib/parentWatch.js';
import { CAMPAIGN_NAMES, FAMILY_NAMES, GIVEN_NAMES, JAPAN_PREFECTURES, ONLINE_STORE_NAME, STORE_KINDS, TENANT_PROFILES } from './vocabulary.js';

export const DEFAULT_REFERENCE_DATE = '2026-10-31';
export const SCHEMA_SQL = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'schema.sql'), 'utf8');
export const TABLES = [
  'tenants',
  'stores',
  'customers',
  'products',
  'orders',
  'order_items',
  'campaigns',
  'campaign_members',
  'customer_tiers',
  'inquiries',
  'kpi_targets',
  'source_keys',
  'clv_fits',
  'customer_predictions',
  'clv_tracking_weeks',
  'clv_tracking_groups',
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

/**
 * The generation steps, in order; each is one SQL script over the tables before it. Every
 * final INSERT has an ORDER BY on the table's key, so even the physical row order is the same
 * run after run (parallel joins would otherwise interleave rows differently).
 */
function steps(o: Required<Omit<GenerateOptions, 'out' | 'onProgress'>>): [string, string][] {
  const { customers, tenants, years, seed, endDate } = o;
  return [
    [
      'helpers',
      `
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
      CREATE TABLE prefectures AS SELECT * FROM (VALUES ${JAPAN_PREFECTURES.map(([p, r, w, town], i) => `(${i}, '${p}', '${r}', ${w}, '${town}')`).join(', ')}) p(idx, prefecture, region, weight, town);
      CREATE TABLE prefecture_pick AS SELECT idx, prefecture, region, town,
        SUM(weight) OVER (ORDER BY idx) / SUM(weight) OVER () AS cum_to,
        (SUM(weight) OVER (ORDER BY idx) - weight) / SUM(weight) OVER () AS cum_from FROM prefectures;
      CREATE TABLE family_names AS SELECT unnest([${sqlList(FAMILY_NAMES.map(([n]) => n))}]) AS name, unnest([${sqlList(FAMILY_NAMES.map(([, r]) => r))}]) AS romaji,
        generate_subscripts([${sqlList(FAMILY_NAMES.map(([n]) => n))}], 1) - 1 AS idx;
      CREATE TABLE given_names AS SELECT unnest([${sqlList(GIVEN_NAMES.map(([n]) => n))}]) AS name, unnest([${sqlList(GIVEN_NAMES.map(([, r]) => r))}]) AS romaji,
        unnest([${sqlList(GIVEN_NAMES.map(([, , g]) => g))}]) AS gender, generate_subscripts([${sqlList(GIVEN_NAMES.map(([n]) => n))}], 1) - 1 AS idx;
    `,
    ],
    [
      'tenants',
      `
      INSERT INTO tenants (tenant_id, name, fiscal_year_start_month, currency) SELECT printf('t%02d', i), profile.name, profile.fy, 'JPY' FROM range(1, ${tenants + 1}) t(i),
        (SELECT unnest([${TENANT_PROFILES.map((t) => `{'i': ${t.index}, 'name': '${t.name}', 'fy': ${t.fiscalYearStartMonth}}`).join(', ')}]) AS profile) p
        WHERE profile.i = (i - 1) % ${TENANT_PROFILES.length} ORDER BY 1;
      CREATE TABLE tenant_format AS SELECT printf('t%02d', i) AS tenant_id, profile.format AS format, i AS tenant_no
        FROM range(1, ${tenants + 1}) t(i), (SELECT unnest([${TENANT_PROFILES.map((t) => `{'i': ${t.index}, 'format': '${t.format}'}`).join(', ')}]) AS profile) p
        WHERE profile.i = (i - 1) % ${TENANT_PROFILES.length};
    `,
    ],
    [
      'stores',
      `
      -- 24 physical stores per tenant in prefectures weighted by population, plus one EC "store" (id ...000).
      INSERT INTO stores
      SELECT t.tenant_no * 1000 + k, t.tenant_id, p.town || [${sqlList(STORE_KINDS)}][1 + k % 3] || '（' || k || '号）',
        p.prefecture, p.region, t.format
      FROM tenant_format t, range(1, 25) s(k)
      JOIN prefecture_pick p ON u(t.tenant_no * 1000 + k, 0, 'store-pref') >= p.cum_from AND u(t.tenant_no * 1000 + k, 0, 'store-pref') < p.cum_to
      ORDER BY 1;
      INSERT INTO stores SELECT tenant_no * 1000, tenant_id, '${ONLINE_STORE_NAME}', 'Tokyo', 'Kanto', 'ec' FROM tenant_format;
    `,
    ],
    [
      'products',
      `
      -- 300 products per tenant; prices log-normal around ¥2,000 (from ¥100 to ¥80,000).
      INSERT INTO products
      SELECT t.tenant_no * 100000 + k, t.tenant_id, c.category, c.subcategory,
        'Brand ' || chr(65 + CAST(floor(u(t.tenant_no * 100000 + k, 0, 'brand') * 20) AS INTEGER)),
        CAST(least(80000, greatest(100, round(exp(7.4 + 0.9 * z(t.tenant_no * 100000 + k, 0, 'price')) / 10) * 10)) AS DECIMAL(18,2))
      FROM tenant_format t, range(300) r(k),
        (SELECT * FROM (VALUES (0, 'beauty', 'skincare'), (1, 'beauty', 'makeup'), (2, 'fashion', 'womens'), (3, 'fashion', 'mens'),
          (4, 'food', 'sweets'), (5, 'food', 'deli'), (6, 'home', 'kitchen'), (7, 'home', 'interior'), (8, 'health', 'supplements'),
          (9, 'gift', 'seasonal gift')) c(idx, category, subcategory)) c
      WHERE c.idx = k % 10
      ORDER BY 1;
      CREATE TABLE product_pick AS SELECT product_id, tenant_id, unit_price,
        row_number() OVER (PARTITION BY tenant_id ORDER BY product_id) - 1 AS idx FROM products;
    `,
    ],
    [
      'customers',
      `
      -- Members: signups spread over the data years and two years before (existing members),
      -- with latent traits (purchase rate, basket size, lifetime) that drive their orders.
      CREATE TABLE customer_latent AS
      SELECT id AS customer_id,
        (SELECT tenant_id FROM tenant_format WHERE tenant_no = 1 + CAST(floor(pow(u(id, 0, 'tenant'), 1.3) * ${tenants}) AS INTEGER)) AS tenant_id,
        CAST((SELECT start_date FROM params) - INTERVAL 730 DAY
          + to_days(CAST(floor(pow(u(id, 0, 'signup'), 0.8) * (${years} * 365 + 730)) AS INTEGER)) AS DATE) AS signup_date,
        u(id, 0, 'channel') AS channel_u,
        -- 35 % buy once and never again; the rest have a log-normal (gamma-like, right-skewed) latent
        -- rate: median 3.7 a year before seasonal thinning (~2.3 orders a year kept), a loyal tail
        -- of heavy buyers above 20 a year.
        CASE WHEN u(id, 0, 'onetimer') < 0.35 THEN 0 ELSE least(40, exp(1.3 + 0.85 * z(id, 0, 'rate'))) END AS yearly_rate,
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
        -- Exactly age_at_end (18-85) on the reference date: minus whole years, minus up to 364 days.
        CAST((SELECT end_date FROM params) - to_years(age_at_end) - to_days(CAST(floor(u(c.customer_id, 0, 'birthday') * 365) AS INTEGER)) AS DATE),
        g.gender, s.prefecture, s.region, s.store_id,
        u(c.customer_id, 0, 'optin') < 0.6,
        channel_u >= 0.80 AND channel_u < 0.95 OR u(c.customer_id, 0, 'line') < 0.25,
        f.name || ' ' || g.name,
        lower(g.romaji) || '.' || lower(f.romaji) || c.customer_id || '@example.jp',
        printf('0%d0-%04d-%04d', 7 + CAST(floor(u(c.customer_id, 0, 'phone-a') * 3) AS INTEGER),
          CAST(floor(u(c.customer_id, 0, 'phone-b') * 10000) AS INTEGER), CAST(floor(u(c.customer_id, 0, 'phone-c') * 10000) AS INTEGER))
      FROM customer_latent c
      JOIN family_names f ON f.idx = CAST(floor(u(c.customer_id, 0, 'family') * (SELECT count(*) FROM family_names)) AS INTEGER)
      JOIN given_names g ON g.idx = CAST(floor(u(c.customer_id, 0, 'given') * (SELECT count(*) FROM given_names)) AS INTEGER)
      JOIN (SELECT store_id, tenant_id, prefecture, region, row_number() OVER (PARTITION BY tenant_id ORDER BY store_id) - 1 AS idx
            FROM stores WHERE format <> 'ec') s
        ON s.tenant_id = c.tenant_id AND s.idx = CAST(floor(u(c.customer_id, 0, 'home') * 24) AS INTEGER)
      ORDER BY c.customer_id;
    `,
    ],
    [
      'member orders',
      `
      -- Each member's latent history runs from the first order (signup day for most, else within
      -- two months of it) to the end of an exponential active lifetime (dormancy). Only the part
      -- inside the data window is written: members who joined before the window keep buying at
      -- their own pace instead of all "starting" at its first day.
      CREATE TABLE customer_activity AS
      SELECT c.customer_id, c.tenant_id, c.yearly_rate, c.basket_level, cu.signup_channel, cu.home_store_id,
        CAST(c.signup_date + to_days(c.first_delay_days) AS DATE) AS first_date,
        least(p.end_date, CAST(c.signup_date + to_days(c.first_delay_days + CAST(c.lifetime_years * 365 AS INTEGER)) AS DATE)) AS active_until
      FROM customer_latent c JOIN customers cu USING (customer_id), params p
      WHERE NOT c.never_orders AND c.signup_date + to_days(c.first_delay_days) <= p.end_date;

      CREATE TABLE member_order_dates AS
      -- The first order, when it falls inside the window (09:00-21:00 local).
      SELECT customer_id, 0 AS k,
        CAST(first_date AS TIMESTAMP) + to_seconds(CAST(9 * 3600 + floor(u(customer_id, 0, 'hour') * 12 * 3600) AS BIGINT)) AS ordered_at
      FROM customer_activity, params p WHERE first_date >= p.start_date
      UNION ALL
      -- Repeat orders: candidate days uniform over the active days after the first order inside the
      -- window, at 1.4x the customer's rate; the seasonal thinning below keeps ~45 % of them.
      SELECT a.customer_id, k, CAST(a.lo AS TIMESTAMP)
        + to_seconds(CAST(floor(u(a.customer_id, k, 'when') * a.span_days) AS BIGINT) * 86400
          + CAST(9 * 3600 + floor(u(a.customer_id, k, 'hour') * 12 * 3600) AS BIGINT))
      FROM (SELECT *, greatest(first_date + 1, p.start_date) AS lo, date_diff('day', greatest(first_date + 1, p.start_date), active_until) + 1 AS span_days
            FROM customer_activity, params p WHERE yearly_rate > 0) a,
        range(1, 1 + CAST(ceil(1.4 * a.yearly_rate * a.span_days / 365.0) AS BIGINT)) r(k)
      WHERE a.span_days > 0;
      -- Seasonality by thinning: a candidate survives with probability month weight / (1.6 x 1.4),
      -- so December (year-end, winter gifts) and July (summer gifts) are busiest, February quietest.
      DELETE FROM member_order_dates d WHERE k > 0
        AND u(customer_id, k, 'season') * 1.6 * 1.4 > (SELECT weight FROM season WHERE month = month(d.ordered_at));

      -- Members mostly buy where they signed up: EC/app/LINE members online, the others in store.
      CREATE TABLE order_heads AS
      SELECT d.customer_id, d.k, a.tenant_id, d.ordered_at, a.basket_level,
        CASE WHEN u(d.customer_id, d.k, 'ch') < (CASE a.signup_channel WHEN 'ec' THEN 0.25 WHEN 'app' THEN 0.35 WHEN 'line' THEN 0.5 ELSE 0.75 END) THEN 'store'
             WHEN u(d.customer_id, d.k, 'ch2') < 0.55 THEN 'ec' ELSE 'app' END AS channel,
        a.home_store_id, NULL::BIGINT AS coupon_id
      FROM member_order_dates d JOIN customer_activity a USING (customer_id);
    `,
    ],
    [
      'non-member orders',
      `
      -- Walk-in buyers without a card (customer_id NULL): ~15 % of orders, mostly in stores, with
      -- smaller baskets; same seasonality. The first order of each tenant falls on the reference
      -- date itself, so the last day of data is always the reference date, however small the run.
      INSERT INTO order_heads
      SELECT NULL, k, t.tenant_id,
        CAST(x.day AS TIMESTAMP) + to_seconds(CAST(9 * 3600 + floor(u(-1, k, 'nm-hour') * 12 * 3600) AS BIGINT)),
        exp(0.4 * z(-1, k, 'nm-basket')) * 0.8,
        CASE WHEN u(-1, k, 'nm-ch') < 0.85 THEN 'store' ELSE 'ec' END,
        t.tenant_no * 1000 + 1 + CAST(floor(u(-1, k, 'nm-store') * 24) AS INTEGER), NULL
      FROM range((SELECT CAST(count(*) * 0.27 AS BIGINT) FROM member_order_dates)) r(k), params p,
        LATERAL (SELECT
          CASE WHEN k < ${tenants} THEN k + 1 ELSE 1 + CAST(floor(pow(u(-1, k, 'nm-tenant'), 1.3) * ${tenants}) AS INTEGER) END AS tenant_no,
          CASE WHEN k < ${tenants} THEN p.end_date
               ELSE CAST(p.start_date + to_days(CAST(floor(u(-1, k, 'nm-when') * (date_diff('day', p.start_date, p.end_date) + 1)) AS INTEGER)) AS DATE) END AS day) x
      JOIN tenant_format t ON t.tenant_no = x.tenant_no
      WHERE k < ${tenants} OR u(-1, k, 'nm-season') * 1.6 <= (SELECT weight FROM season WHERE month = month(x.day));
    `,
    ],
    [
      'campaigns',
      `
      -- A dozen campaigns per tenant per year (one a month), objectives in rotation, random channel.
      INSERT INTO campaigns
      SELECT t.tenant_no * 10000 + m, t.tenant_id,
        map_extract(MAP {${Object.entries(CAMPAIGN_NAMES)
          .map(([k, v]) => `'${k}': '${v}'`)
          .join(', ')}}, obj)[1] || ' ' || strftime(start_d, '%Y年%-m月'), ch, obj, start_d, CAST(start_d + INTERVAL 13 DAY AS DATE),
        CASE WHEN ch = 'coupon' THEN 14 ELSE 30 END
      FROM tenant_format t, range(${years * 12}) r(m),
        LATERAL (SELECT CAST(date_trunc('month', (SELECT start_date FROM params)) + to_months(CAST(m AS INTEGER)) + INTERVAL 4 DAY AS DATE) AS start_d,
          ['welcome', 'reactivation', 'cross_sell', 'loyalty'][1 + CAST((m + t.tenant_no) % 4 AS INTEGER)] AS obj,
          ['email', 'line', 'dm', 'app_push', 'coupon'][1 + CAST(floor(u(t.tenant_no, m, 'camp-ch') * 5) AS INTEGER)] AS ch) x
      WHERE start_d >= (SELECT start_date FROM params) AND start_d + INTERVAL 13 DAY <= (SELECT end_date FROM params)
      ORDER BY 1;

      -- Candidates: a random share of the tenant's members whom the channel can reach (email needs
      -- opt-in, LINE a linked account, app push the app: app signups and a third of the others;
      -- DM and coupons reach everyone). Each campaign holds out 20 % or 10 % as control.
      CREATE TABLE campaign_candidates AS
      SELECT c.campaign_id, c.objective, c.channel AS campaign_channel, c.start_date, c.attribution_days,
        CASE WHEN u(c.campaign_id, 0, 'holdout') < 0.5 THEN 0.2 ELSE 0.1 END AS control_share,
        cu.customer_id, cu.tenant_id, cu.signup_date, a.first_date, cu.line_linked,
        CAST(floor(date_diff('day', cu.birth_date, c.start_date) / 365.25) AS INTEGER) AS age
      FROM campaigns c JOIN customers cu ON cu.tenant_id = c.tenant_id
      LEFT JOIN customer_activity a ON a.customer_id = cu.customer_id
      WHERE u(c.campaign_id, cu.customer_id, 'sample') < CASE c.objective WHEN 'welcome' THEN 0.9 ELSE 0.15 END
        AND CASE c.channel WHEN 'email' THEN cu.email_opt_in WHEN 'line' THEN cu.line_linked
          WHEN 'app_push' THEN cu.signup_channel = 'app' OR u(cu.customer_id, 0, 'has-app') < 0.33 ELSE true END;
      -- Their orders in the year before the start, as the CRM saw them when selecting.
      CREATE TABLE campaign_history AS
      SELECT k.campaign_id, k.customer_id,
        count(d.ordered_at) FILTER (WHERE d.ordered_at >= k.start_date - INTERVAL 180 DAY) AS orders_180d,
        count(d.ordered_at) AS orders_365d
      FROM campaign_candidates k LEFT JOIN member_order_dates d ON d.customer_id = k.customer_id
        AND d.ordered_at < k.start_date AND d.ordered_at >= k.start_date - INTERVAL 365 DAY
      WHERE k.objective <> 'welcome'
      GROUP BY ALL;
      -- Eligibility by objective, then a randomized split into treatment and control.
      CREATE TABLE member_pool AS
      SELECT k.*, CASE WHEN u(k.campaign_id, k.customer_id, 'group') < k.control_share THEN 'control' ELSE 'treatment' END AS group_name
      FROM campaign_candidates k LEFT JOIN campaign_history h USING (campaign_id, customer_id)
      WHERE CASE k.objective
        -- welcome: joined in the 60 days before the start
        WHEN 'welcome' THEN k.signup_date BETWEEN k.start_date - INTERVAL 60 DAY AND k.start_date - INTERVAL 1 DAY
        -- reactivation (休眠掘り起こし): has bought, but nothing in the last 180 days
        WHEN 'reactivation' THEN k.first_date < k.start_date - INTERVAL 180 DAY AND h.orders_180d = 0
        -- cross-sell: bought in the last year, first order over a month ago
        WHEN 'cross_sell' THEN k.first_date < k.start_date - INTERVAL 30 DAY AND h.orders_365d >= 1
        -- loyalty: frequent buyers, 3+ orders in the last year
        ELSE h.orders_365d >= 3 END;

      -- Control is only assigned; treatment is sent an hour later, then opens and clicks at
      -- channel-typical rates (a DM's opening is not tracked; coupons are redeemed at checkout).
      INSERT INTO campaign_members
      SELECT campaign_id, customer_id, group_name, CAST(start_date AS TIMESTAMP) + INTERVAL 9 HOUR, NULL, NULL, NULL, NULL
      FROM member_pool ORDER BY campaign_id, customer_id;
      UPDATE campaign_members SET sent_at = assigned_at + INTERVAL 1 HOUR WHERE group_name = 'treatment';
      UPDATE campaign_members m SET opened_at = sent_at + to_seconds(CAST(600 + floor(u(m.campaign_id, m.customer_id, 'open-t') * 86400) AS BIGINT))
        FROM campaigns c WHERE c.campaign_id = m.campaign_id AND m.group_name = 'treatment'
        AND u(m.campaign_id, m.customer_id, 'open') < CASE c.channel WHEN 'email' THEN 0.30 WHEN 'line' THEN 0.60 WHEN 'app_push' THEN 0.25 WHEN 'coupon' THEN 0.50 ELSE 0 END;
      UPDATE campaign_members SET clicked_at = opened_at + to_seconds(CAST(30 + floor(u(campaign_id, customer_id, 'click-t') * 3600) AS BIGINT))
        WHERE opened_at IS NOT NULL AND u(campaign_id, customer_id, 'click') < 0.35;

      -- The real effect: a treated member places an extra order within the attribution window with
      -- a probability that depends on who they are, so lift is positive and differs by segment:
      -- strongest for the young, LINE-linked members and coupons; about nothing for members over
      -- 65 and for app pushes to members over 60.
      CREATE TABLE campaign_orders AS
      SELECT p.customer_id, p.campaign_id, p.tenant_id, p.campaign_channel,
        CAST(p.start_date AS TIMESTAMP) + to_seconds(CAST(floor(u(p.campaign_id, p.customer_id, 'conv-t') * (p.attribution_days - 1) * 86400) AS BIGINT) + 36000) AS ordered_at
      FROM member_pool p
      WHERE p.group_name = 'treatment' AND p.first_date IS NOT NULL AND u(p.campaign_id, p.customer_id, 'convert') <
        (CASE p.objective WHEN 'welcome' THEN 0.07 WHEN 'reactivation' THEN 0.05 WHEN 'cross_sell' THEN 0.03 ELSE 0.02 END)
        * (CASE WHEN p.age < 35 THEN 2.0 WHEN p.age >= 65 THEN 0.05 WHEN p.age >= 50 THEN 0.6 ELSE 1.0 END)
        * (CASE WHEN p.line_linked THEN 1.6 ELSE 1.0 END)
        * (CASE p.campaign_channel WHEN 'coupon' THEN 1.5 WHEN 'line' THEN 1.2 WHEN 'email' THEN 0.8 WHEN 'dm' THEN 0.6 ELSE 1.0 END)
        * (CASE WHEN p.campaign_channel = 'app_push' AND p.age >= 60 THEN 0 ELSE 1 END)
        AND CAST(p.start_date AS TIMESTAMP) + to_seconds(CAST(floor(u(p.campaign_id, p.customer_id, 'conv-t') * (p.attribution_days - 1) * 86400) AS BIGINT) + 36000)
          < (SELECT end_date FROM params) + INTERVAL 1 DAY;
      UPDATE campaign_members m SET redeemed_at = o.ordered_at FROM campaign_orders o
        WHERE m.campaign_id = o.campaign_id AND m.customer_id = o.customer_id AND o.campaign_channel = 'coupon';
      INSERT INTO order_heads
      SELECT o.customer_id, 1000000 + row_number() OVER (PARTITION BY o.customer_id ORDER BY o.campaign_id), o.tenant_id, o.ordered_at, a.basket_level,
        CASE WHEN o.campaign_channel IN ('email', 'line', 'app_push') THEN 'ec' ELSE 'store' END, a.home_store_id,
        CASE WHEN o.campaign_channel = 'coupon' THEN o.campaign_id END
      FROM campaign_orders o JOIN customer_activity a USING (customer_id);
    `,
    ],
    [
      'order lines',
      `
      -- Order ids in time order. 1-6 lines from the tenant's catalogue (few lines most often);
      -- in the gift seasons (July, December) 40 % of orders add a line, and their first line is a
      -- seasonal gift half the time, so baskets grow when orders peak.
      CREATE TABLE numbered_orders AS
      SELECT row_number() OVER (ORDER BY ordered_at, tenant_id, customer_id NULLS FIRST, k) AS order_id, *,
        month(ordered_at) IN (7, 12) AS gift_season FROM order_heads;
      CREATE TABLE lines AS
      SELECT o.order_id, CAST(l AS INTEGER) AS line_no, p.product_id,
        CAST(1 + floor(pow(u(o.order_id, l, 'qty'), 2.5) * 3 * o.basket_level) AS INTEGER) AS quantity, p.unit_price
      FROM numbered_orders o,
        range(1, 2 + CAST(floor(pow(u(o.order_id, 0, 'lines'), 1.5) * 5) AS BIGINT)
          + CASE WHEN o.gift_season AND u(o.order_id, 0, 'gift-line') < 0.4 THEN 1 ELSE 0 END) r(l)
      -- Product k of a tenant has category k % 10; category 9 is the seasonal gift.
      JOIN product_pick p ON p.tenant_id = o.tenant_id AND p.idx = CASE
        WHEN l = 1 AND o.gift_season AND u(o.order_id, 0, 'gift') < 0.5 THEN 9 + 10 * CAST(floor(u(o.order_id, l, 'product') * 30) AS INTEGER)
        ELSE CAST(floor(u(o.order_id, l, 'product') * 300) AS INTEGER) END;
      INSERT INTO order_items SELECT order_id, line_no, product_id, quantity, unit_price, CAST(quantity * unit_price AS DECIMAL(18,2)) FROM lines
        ORDER BY order_id, line_no;
    `,
    ],
    [
      'order totals',
      `
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
                               ELSE 0 END AS DECIMAL(18,2)) AS discount) d
      ORDER BY o.order_id;
    `,
    ],
    [
      'tiers',
      `
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
      WHERE previous IS DISTINCT FROM tier
      ORDER BY customer_id, valid_from;
    `,
    ],
    [
      'inquiries',
      `
      -- About one inquiry per four ordering members, between their first order (or the window's
      -- start) and the reference date; resolved within two days; satisfaction mostly 4-5.
      INSERT INTO inquiries
      SELECT row_number() OVER (ORDER BY a.customer_id), a.tenant_id, a.customer_id,
        ['phone', 'email', 'chat', 'store'][1 + CAST(floor(u(a.customer_id, 0, 'inq-ch') * 4) AS INTEGER)],
        ['delivery', 'product', 'points', 'account', 'returns'][1 + CAST(floor(u(a.customer_id, 0, 'inq-cat') * 5) AS INTEGER)],
        opened, opened + to_seconds(CAST(600 + floor(u(a.customer_id, 0, 'inq-res') * 172800) AS BIGINT)),
        CAST(least(5, greatest(1, round(4.1 + 1.0 * z(a.customer_id, 0, 'inq-sat')))) AS SMALLINT)
      FROM customer_activity a, params p,
        LATERAL (SELECT greatest(a.first_date, p.start_date) AS lo) l,
        LATERAL (SELECT CAST(l.lo AS TIMESTAMP) + to_seconds(CAST(floor(u(a.customer_id, 0, 'inq-when') * (date_diff('day', l.lo, p.end_date) + 1) * 86400) AS BIGINT)) AS opened) x
      WHERE u(a.customer_id, 0, 'inquiry') < 0.25
      ORDER BY a.customer_id;
    `,
    ],
    [
      'kpi targets',
      `
      -- Monthly targets near each month's actuals, as a planning team sets them from the run rate:
      -- x 0.97-1.10 for KPIs where higher is better, x 0.90-1.02 for churn. As-of KPIs (repeat rate,
      -- churn, LTV, F2) follow the catalog's definitions with ref = the month's last day.
      CREATE TABLE month_ends AS
      SELECT t.tenant_id, CAST(m AS DATE) AS month, least(CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE), p.end_date) AS ref
      FROM tenant_format t, params p, generate_series(date_trunc('month', p.start_date), date_trunc('month', p.end_date), INTERVAL 1 MONTH) g(m);
      CREATE TABLE monthly_actuals AS
      SELECT tenant_id, CAST(date_trunc('month', ordered_at) AS DATE) AS month, sum(net_amount) AS revenue, count(*) AS orders,
        count(DISTINCT customer_id) AS active_customers, sum(net_amount) FILTER (WHERE customer_id IS NOT NULL) AS member_revenue
      FROM orders GROUP BY ALL;
      CREATE TABLE member_orders AS
      SELECT customer_id, tenant_id, CAST(ordered_at AS DATE) AS day,
        row_number() OVER (PARTITION BY customer_id ORDER BY ordered_at, order_id) AS n,
        lead(CAST(ordered_at AS DATE)) OVER (PARTITION BY customer_id ORDER BY ordered_at, order_id) AS next_day
      FROM orders WHERE customer_id IS NOT NULL;
      -- Per first-order day: first-time buyers, and those whose second order came within 90 days.
      CREATE TABLE first_days AS
      SELECT tenant_id, day, count(*) AS firsts, count(*) FILTER (WHERE next_day <= day + 90) AS f2
      FROM member_orders WHERE n = 1 GROUP BY ALL;
      CREATE TABLE second_days AS SELECT tenant_id, next_day AS day, count(*) AS seconds FROM member_orders WHERE n = 1 AND next_day IS NOT NULL GROUP BY ALL;
      -- Members not dormant at ref: each order keeps its member "recent" on [its day, min(next order
      -- day, day + 181)); those spans never overlap, so counting the spans holding ref counts members.
      CREATE TABLE monthly_recent AS
      SELECT m.tenant_id, m.month, count(*) AS recent
      FROM (SELECT tenant_id, day, least(coalesce(next_day, day + 181), day + 181) AS until FROM member_orders) o,
        LATERAL (SELECT CAST(unnest(generate_series(date_trunc('month', o.day), date_trunc('month', o.until - 1), INTERVAL 1 MONTH)) AS DATE) AS month) x
      JOIN month_ends m ON m.tenant_id = o.tenant_id AND m.month = x.month AND m.ref >= o.day AND m.ref < o.until
      GROUP BY ALL;
      CREATE TABLE monthly_kpis AS
      SELECT m.tenant_id, m.month, CAST(coalesce(a.revenue, 0) AS DOUBLE) AS revenue, CAST(coalesce(a.orders, 0) AS DOUBLE) AS orders,
        CAST(coalesce(a.active_customers, 0) AS DOUBLE) AS active_customers, CAST(a.revenue / nullif(a.orders, 0) AS DOUBLE) AS aov,
        CAST((SELECT coalesce(sum(firsts), 0) FROM first_days f WHERE f.tenant_id = m.tenant_id AND f.day BETWEEN m.month AND m.ref) AS DOUBLE) AS new_customers,
        (SELECT sum(seconds) FROM second_days s WHERE s.tenant_id = m.tenant_id AND s.day <= m.ref)
          / nullif((SELECT sum(firsts) FROM first_days f WHERE f.tenant_id = m.tenant_id AND f.day <= m.ref), 0) AS repeat_rate,
        1 - coalesce(r.recent, 0) / nullif((SELECT sum(firsts) FROM first_days f WHERE f.tenant_id = m.tenant_id AND f.day <= m.ref), 0) AS churn_rate,
        (SELECT sum(member_revenue) FROM monthly_actuals x WHERE x.tenant_id = m.tenant_id AND x.month <= m.month)
          / nullif((SELECT sum(firsts) FROM first_days f WHERE f.tenant_id = m.tenant_id AND f.day <= m.ref), 0)::DOUBLE AS historical_ltv,
        (SELECT sum(f2) / nullif(sum(firsts), 0) FROM first_days f WHERE f.tenant_id = m.tenant_id AND f.day <= m.ref - 90) AS f2_conversion_90d
      FROM month_ends m
      LEFT JOIN monthly_actuals a USING (tenant_id, month)
      LEFT JOIN monthly_recent r USING (tenant_id, month);
      -- A month without a defined actual (no eligible first-time buyers yet) borrows the next defined one.
      INSERT INTO kpi_targets
      SELECT tenant_id, metric, month,
        -- Counts are whole, money whole yen, rates four decimals.
        CAST(round(coalesce(actual, first_value(actual IGNORE NULLS) OVER (PARTITION BY tenant_id, metric ORDER BY month ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING), 0)
          * CASE WHEN metric = 'churn_rate' THEN 0.90 + 0.12 * u(hash(tenant_id), epoch(month), metric) ELSE 0.97 + 0.13 * u(hash(tenant_id), epoch(month), metric) END,
          CASE WHEN metric IN ('repeat_rate', 'churn_rate', 'f2_conversion_90d') THEN 4 ELSE 0 END) AS DECIMAL(18,4))
      FROM monthly_kpis UNPIVOT INCLUDE NULLS (actual FOR metric IN
        (revenue, orders, active_customers, aov, new_customers, repeat_rate, churn_rate, historical_ltv, f2_conversion_90d))
      ORDER BY tenant_id, metric, month;
      -- The plan covers the whole fiscal year holding the reference date: its months after the data
      -- get the same month's target of the year before, x 1.03, whole (this year's plan grows on last year's).
      INSERT INTO kpi_targets
      SELECT k.tenant_id, k.metric, CAST(k.month + INTERVAL 12 MONTH AS DATE),
        CAST(round(k.target_value * 1.03) AS DECIMAL(18,4))
      FROM kpi_targets k JOIN tenants t USING (tenant_id), params p
      WHERE k.metric IN ('revenue', 'orders', 'active_customers', 'new_customers', 'aov')
        AND k.month + INTERVAL 12 MONTH > p.end_date
        AND k.month + INTERVAL 12 MONTH < make_date(year(p.end_date) - CASE WHEN month(p.end_date) < t.fiscal_year_start_month THEN 1 ELSE 0 END, t.fiscal_year_start_month, 1) + INTERVAL 12 MONTH
      ORDER BY 1, 2, 3;
    `,
    ],
  ];
}

/** The files DuckDB writes for a database being built: the file, its write-ahead log, its spill folder. */
function partialFiles(temp: string): string[] {
  return [temp, `${temp}.wal`, `${temp}.tmp`];
}

/** Warehouses being built by this process: `.partial-<pid>` path → its connection once open. */
const building = new Map<string, DuckDBConnection | null>();

/**
 * Deletes the partial files of every warehouse this process is building. Synchronous, for
 * SIGINT/SIGTERM handlers (`npm run seed`, the first run of `npm start`), which exit next.
 */
export function removePartialFiles(): void {
  for (const [temp, connection] of building) {
    // Stops the running statement: otherwise DuckDB finishes it (minutes) before the process can exit.
    try {
      connection?.interrupt();
    } catch {
      // already closed
    }
    for (const file of partialFiles(temp)) rmSync(file, { recursive: true, force: true });
  }
  building.clear();
}

/**
 * Deletes `<out>.partial-<pid>` files (and their .wal and .tmp) left beside `out` by a run
 * that was killed without a chance to clean up (SIGKILL, a power cut): those whose process no
 * longer runs. Returns the paths removed.
 */
export function removeStalePartialFiles(out: string): string[] {
  const dir = path.dirname(out);
  if (!existsSync(dir)) return [];
  const base = path.basename(out).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^${base}\\.partial-(\\d+)(\\.wal|\\.tmp)?$`);
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const match = name.match(pattern);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || processRuns(pid)) continue;
    rmSync(path.join(dir, name), { recursive: true, force: true });
    removed.push(path.join(dir, name));
  }
  return removed;
}

export async function generateWarehouse(options: GenerateOptions): Promise<GenerateSummary> {
  const o = {
    customers: options.customers ?? 50_000,
    tenants: options.tenants ?? 2,
    years: options.years ?? 3,
    seed: options.seed ?? 42,
    endDate: options.endDate ?? DEFAULT_REFERENCE_DATE,
  };
  // The options are spliced into SQL: only whole numbers in range and an ISO date get through.
  const whole = (name: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
  };
  whole('customers', o.customers, 1, 100_000_000);
  whole('tenants', o.tenants, 1, 20);
  whole('years', o.years, 1, 10);
  whole('seed', o.seed, 0, 2 ** 31);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.endDate) || Number.isNaN(Date.parse(o.endDate))) throw new RangeError(`endDate must be a date like 2026-10-31, got ${o.endDate}`);
  const started = Date.now();
  // Built beside the target and renamed at the end: a failed run never leaves half a warehouse.
  // A killed run deletes its partial files (removePartialFiles); one killed with SIGKILL leaves
  // them, and the next run beside the same target deletes them.
  const temp = `${options.out}.partial-${process.pid}`;
  mkdirSync(path.dirname(options.out), { recursive: true });
  removeStalePartialFiles(options.out);
  for (const file of partialFiles(temp)) rmSync(file, { recursive: true, force: true });
  building.set(temp, null);
  const instance = await DuckDBInstance.create(temp, { autoinstall_known_extensions: 'false' });
  const connection: DuckDBConnection = await instance.connect();
  if (building.has(temp)) building.set(temp, connection);
  const plan = steps(o);
  try {
    await connection.run(SCHEMA_SQL);
    const total = plan.length + 1;
    for (const [i, [name, sql]] of plan.entries()) {
      options.onProgress?.(name, i, total);
      await connection.run(sql);
    }
    // Only the schema's tables stay in the file: drop every working table and the macros.
    options.onProgress?.('cleanup', plan.length, total);
    const working = (await connection.runAndReadAll("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY 1"))
      .getRows()
      .map(([t]) => String(t))
      .filter((t) => !(TABLES as readonly string[]).includes(t));
    await connection.run(`${working.map((t) => `DROP TABLE ${t};`).join(' ')} DROP MACRO z; DROP MACRO u; CHECKPOINT;`);
    options.onProgress?.('done', total, total);
    const rows = {} as GenerateSummary['rows'];
    for (const table of TABLES) {
      rows[table] = Number((await connection.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0][0]);
    }
    connection.closeSync();
    instance.closeSync();
    // Replaces any previous warehouse in one step; its write-ahead log must not outlive it.
    rmSync(`${options.out}.wal`, { force: true });
    renameSync(temp, options.out);
    rmSync(`${temp}.tmp`, { recursive: true, force: true });
    building.delete(temp);
    return { rows, seconds: (Date.now() - started) / 1000 };
  } catch (e) {
    connection.closeSync();
    instance.closeSync();
    for (const file of partialFiles(temp)) rmSync(file, { recursive: true, force: true });
    building.delete(temp);
    throw e;
  }
}
