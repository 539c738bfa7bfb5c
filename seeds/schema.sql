-- The warehouse schema (DESIGN.md): the contract between seeds/, model/ and importers.
-- Types are chosen to mean the same in DuckDB and PostgreSQL. Money is DECIMAL(18,2) in the
-- tenant's currency (tenants.currency, JPY for the demo);
-- timestamps are Asia/Tokyo local time without zone; every fact row carries tenant_id.

CREATE TABLE tenants (
  tenant_id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  -- The month the tenant's fiscal year starts (4 = April, the most common in Japan; 3 for a
  -- February close). Fiscal year N starts in calendar year N (2026年度 = April 2026 - March 2027).
  fiscal_year_start_month INTEGER NOT NULL DEFAULT 4 CHECK (fiscal_year_start_month BETWEEN 1 AND 12),
  -- The ISO 4217 code of the tenant's money (every amount of the tenant is in it; the demo's are
  -- JPY, imported data sets keep theirs: Online Retail GBP, CDNOW and Hillstrom USD).
  currency VARCHAR NOT NULL DEFAULT 'JPY' CHECK (length(currency) = 3),
  -- Days without an order after which a member counts as dormant (休眠) and churned: 180 by
  -- default; a tenant whose customers buy every few weeks sets fewer (README, KPI catalog).
  dormancy_days INTEGER NOT NULL DEFAULT 180 CHECK (dormancy_days BETWEEN 30 AND 730)
);

CREATE TABLE stores (
  store_id BIGINT PRIMARY KEY,
  tenant_id VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  prefecture VARCHAR NOT NULL,
  region VARCHAR NOT NULL,
  format VARCHAR NOT NULL -- department | supermarket | apparel | drugstore | ec
);

CREATE TABLE customers (
  customer_id BIGINT PRIMARY KEY,
  tenant_id VARCHAR NOT NULL,
  signup_date DATE NOT NULL,
  signup_channel VARCHAR NOT NULL, -- store | ec | app | line | event
  birth_date DATE,
  gender VARCHAR, -- female | male | other
  prefecture VARCHAR,
  region VARCHAR,
  home_store_id BIGINT,
  email_opt_in BOOLEAN NOT NULL,
  line_linked BOOLEAN NOT NULL,
  name VARCHAR, -- PII
  email VARCHAR, -- PII
  phone VARCHAR -- PII
);

CREATE TABLE products (
  product_id BIGINT PRIMARY KEY,
  tenant_id VARCHAR NOT NULL,
  category VARCHAR NOT NULL,
  subcategory VARCHAR NOT NULL,
  brand VARCHAR NOT NULL,
  unit_price DECIMAL(18,2) NOT NULL
);

CREATE TABLE orders (
  order_id BIGINT PRIMARY KEY,
  tenant_id VARCHAR NOT NULL,
  customer_id BIGINT, -- NULL for non-members
  store_id BIGINT NOT NULL,
  channel VARCHAR NOT NULL, -- store | ec | app
  ordered_at TIMESTAMP NOT NULL,
  gross_amount DECIMAL(18,2) NOT NULL,
  discount_amount DECIMAL(18,2) NOT NULL,
  net_amount DECIMAL(18,2) NOT NULL,
  coupon_id BIGINT,
  points_used INTEGER NOT NULL,
  points_earned INTEGER NOT NULL
);

CREATE TABLE order_items (
  order_id BIGINT NOT NULL,
  line_no INTEGER NOT NULL,
  product_id BIGINT NOT NULL,
  quantity INTEGER NOT NULL,
  unit_price DECIMAL(18,2) NOT NULL,
  amount DECIMAL(18,2) NOT NULL,
  PRIMARY KEY (order_id, line_no)
);

CREATE TABLE campaigns (
  campaign_id BIGINT PRIMARY KEY,
  tenant_id VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  channel VARCHAR NOT NULL, -- email | line | dm | app_push | coupon
  objective VARCHAR NOT NULL, -- welcome | reactivation | cross_sell | loyalty
  start_date DATE NOT NULL,
  end_date DATE NOT NULL,
  attribution_days INTEGER NOT NULL
);

CREATE TABLE campaign_members (
  campaign_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  group_name VARCHAR NOT NULL, -- treatment | control
  assigned_at TIMESTAMP NOT NULL,
  sent_at TIMESTAMP,
  opened_at TIMESTAMP,
  clicked_at TIMESTAMP,
  redeemed_at TIMESTAMP,
  PRIMARY KEY (campaign_id, customer_id)
);

CREATE TABLE customer_tiers (
  customer_id BIGINT NOT NULL,
  tier VARCHAR NOT NULL, -- regular | silver | gold | platinum
  valid_from DATE NOT NULL,
  valid_to DATE, -- NULL: current
  PRIMARY KEY (customer_id, valid_from)
);

CREATE TABLE inquiries (
  inquiry_id BIGINT PRIMARY KEY,
  tenant_id VARCHAR NOT NULL,
  customer_id BIGINT,
  channel VARCHAR NOT NULL,
  category VARCHAR NOT NULL,
  opened_at TIMESTAMP NOT NULL,
  resolved_at TIMESTAMP,
  satisfaction SMALLINT
);

CREATE TABLE kpi_targets (
  tenant_id VARCHAR NOT NULL,
  metric VARCHAR NOT NULL,
  month DATE NOT NULL, -- first day of the month
  target_value DECIMAL(18,4) NOT NULL,
  PRIMARY KEY (tenant_id, metric, month)
);

-- Added with the importers and the CLV fit (new tables only; the ones above are unchanged).

-- Where an imported row came from: the key it had in the imported file (an Online Retail
-- CustomerID or InvoiceNo, a CDNOW customer number, a POS member number), so that a retailer
-- can find their own customers again. The warehouse keys themselves are allocated by the
-- importer, because imported tenants share the key space with the other tenants.
CREATE TABLE source_keys (
  tenant_id VARCHAR NOT NULL,
  entity VARCHAR NOT NULL, -- customer | order | product | store | campaign
  id BIGINT NOT NULL, -- the warehouse key (customer_id, order_id, …)
  source_key VARCHAR NOT NULL,
  PRIMARY KEY (entity, id)
);

-- One fit of BG/NBD + Gamma-Gamma per tenant and calibration end (npm run clv).
CREATE TABLE clv_fits (
  tenant_id VARCHAR NOT NULL,
  calibration_end DATE NOT NULL, -- last day of the history the fit saw
  fitted_at TIMESTAMP NOT NULL,
  time_unit VARCHAR NOT NULL, -- day | week: the unit of alpha and of t_x, T
  horizon_days INTEGER NOT NULL, -- the horizon of the *_12m prediction columns
  customers BIGINT NOT NULL,
  repeat_buyers BIGINT NOT NULL,
  r DOUBLE PRECISION NOT NULL,
  alpha DOUBLE PRECISION NOT NULL,
  a DOUBLE PRECISION NOT NULL,
  b DOUBLE PRECISION NOT NULL,
  bgnbd_loglik DOUBLE PRECISION NOT NULL,
  p DOUBLE PRECISION NOT NULL,
  q DOUBLE PRECISION NOT NULL,
  gamma DOUBLE PRECISION NOT NULL,
  gamma_gamma_loglik DOUBLE PRECISION NOT NULL,
  -- served | too_few_repeat_buyers | degenerate_fit (seeds/clv/fitTrust.ts): a withheld fit has no customer_predictions
  status VARCHAR NOT NULL DEFAULT 'served',
  PRIMARY KEY (tenant_id, calibration_end)
);

-- DESIGN.md's customer_predictions: one row per member per fit (clv_fits holds the fit).
CREATE TABLE customer_predictions (
  customer_id BIGINT NOT NULL,
  tenant_id VARCHAR NOT NULL,
  calibration_end DATE NOT NULL,
  expected_purchases_12m DECIMAL(18,6) NOT NULL,
  p_alive DECIMAL(18,6) NOT NULL,
  expected_avg_spend DECIMAL(18,2) NOT NULL,
  predicted_clv_12m DECIMAL(18,2) NOT NULL,
  fitted_at TIMESTAMP NOT NULL,
  PRIMARY KEY (customer_id, calibration_end)
);

-- The holdout check of BG/NBD (npm run clv; README, Predicted CLV): a fit on the history up to
-- calibration_end compared with what the tenant's members then did up to holdout_end. One
-- check per tenant (the latest replaces the earlier); both tables repeat its key columns.
-- Per week of the tenant's history (week 1 starts on its first member purchase day): repeat
-- purchases that week, actual and as the fit expects them (FHL 2005, Figure 3).
CREATE TABLE clv_tracking_weeks (
  tenant_id VARCHAR NOT NULL,
  calibration_end DATE NOT NULL,
  holdout_end DATE NOT NULL,
  week INTEGER NOT NULL,
  week_start DATE NOT NULL,
  in_holdout BOOLEAN NOT NULL, -- the week starts after calibration_end
  customers BIGINT NOT NULL, -- the members the fit saw (first purchase up to calibration_end)
  actual_repeat_purchases BIGINT NOT NULL,
  expected_repeat_purchases DOUBLE PRECISION NOT NULL,
  repeat_buyers BIGINT NOT NULL, -- the members with a repeat purchase in the week (small-group suppression counts them)
  PRIMARY KEY (tenant_id, week)
);

-- Per number of repeat purchases in the calibration period (7 = seven or more): members, and
-- their purchases in the holdout period, actual and expected (FHL 2005, Figure 4).
CREATE TABLE clv_tracking_groups (
  tenant_id VARCHAR NOT NULL,
  calibration_end DATE NOT NULL,
  holdout_end DATE NOT NULL,
  calibration_purchases INTEGER NOT NULL,
  customers BIGINT NOT NULL,
  actual_holdout_purchases BIGINT NOT NULL,
  expected_holdout_purchases DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (tenant_id, calibration_purchases)
);
