import { SCHEMA_SQL } from '../../seeds/generate.js';

/**
 * A hand-sized warehouse: one tenant, twelve members (c11 never orders), twenty member orders
 * and one non-member order, two campaigns. Every expected value in handFixture.test.ts is
 * derived from these rows in a comment there. All orders at 10:00; ref = 2026-06-30.
 * Tiers: c1 gold from 2026-01-01; c2 silver from 2026-01-01 to 2026-03-31 (regular at ref).
 * Campaign 1 (assigned 2026-03-01 09:00): treatment c1-c6, control c7-c10.
 * Campaign 2 (assigned 2026-04-15 09:00): treatment c1 c2 c6 c10, control c3 c4 c5, whose
 * control never converts (lift undefined).
 *
 *   member  orders (date: net yen)
 *   c1      01-10: 10000, 02-10: 10000, 06-20: 10000
 *   c2      01-15: 5000, 03-01: 5000
 *   c3      01-20: 8000
 *   c4      02-05: 4000, 06-25: 6000
 *   c5      03-10: 3000
 *   c6      03-15, 04-10, 05-10, 06-10: 2000 each
 *   c7      03-20: 7000
 *   c8      05-20: 9000, 06-30: 1000
 *   c9      06-05: 5000
 *   c10     01-05: 1000, 05-01: 1000
 *   c11     (none)
 *   c12     2025-12-20: 6000
 *   non-member 06-15: 2500
 */
const ORDERS: [number, number | null, string, number][] = [
  [1, 1, '2026-01-10', 10000],
  [2, 1, '2026-02-10', 10000],
  [3, 1, '2026-06-20', 10000],
  [4, 2, '2026-01-15', 5000],
  [5, 2, '2026-03-01', 5000],
  [6, 3, '2026-01-20', 8000],
  [7, 4, '2026-02-05', 4000],
  [8, 4, '2026-06-25', 6000],
  [9, 5, '2026-03-10', 3000],
  [10, 6, '2026-03-15', 2000],
  [11, 6, '2026-04-10', 2000],
  [12, 6, '2026-05-10', 2000],
  [13, 6, '2026-06-10', 2000],
  [14, 7, '2026-03-20', 7000],
  [15, 8, '2026-05-20', 9000],
  [16, 8, '2026-06-30', 1000],
  [17, 9, '2026-06-05', 5000],
  [18, 10, '2026-01-05', 1000],
  [19, 10, '2026-05-01', 1000],
  [20, 12, '2025-12-20', 6000],
  [21, null, '2026-06-15', 2500],
];

export const HAND_FIXTURE_SQL = `${SCHEMA_SQL}
INSERT INTO tenants (tenant_id, name, fiscal_year_start_month, currency) VALUES ('t01', 'Fixture Retail', 4, 'JPY');
INSERT INTO stores VALUES (1, 't01', 'Shibuya', 'Tokyo', 'Kanto', 'department'), (2, 't01', 'Online store', 'Tokyo', 'Kanto', 'ec');
INSERT INTO products VALUES (1, 't01', 'gift', 'seasonal gift', 'Brand A', 1000);
INSERT INTO customers
  SELECT i, 't01', CASE WHEN i = 12 THEN DATE '2025-12-01' ELSE DATE '2026-01-01' END, 'store',
    CAST(DATE '1990-01-01' - (i % 3) * INTERVAL 20 YEAR AS DATE), CASE WHEN i % 2 = 0 THEN 'female' ELSE 'male' END,
    CASE WHEN i <= 6 THEN 'Tokyo' ELSE 'Osaka' END, CASE WHEN i <= 6 THEN 'Kanto' ELSE 'Kinki' END, 1, true, false,
    'Member ' || i, 'member' || i || '@example.jp', '090-0000-00' || lpad(CAST(i AS VARCHAR), 2, '0')
  FROM range(1, 13) t(i);
INSERT INTO orders VALUES ${ORDERS.map(([id, c, d, amount]) => `(${id}, 't01', ${c ?? 'NULL'}, 1, 'store', TIMESTAMP '${d} 10:00:00', ${amount}, 0, ${amount}, NULL, 0, ${amount / 100})`).join(', ')};
INSERT INTO order_items SELECT order_id, 1, 1, CAST(net_amount / 1000 AS INTEGER), 1000, net_amount FROM orders;
INSERT INTO customer_tiers VALUES (1, 'gold', DATE '2026-01-01', NULL), (2, 'silver', DATE '2026-01-01', DATE '2026-03-31');
INSERT INTO campaigns VALUES (1, 't01', 'Spring cross-sell', 'email', 'cross_sell', DATE '2026-03-01', DATE '2026-03-14', 30),
  (2, 't01', 'April reactivation', 'line', 'reactivation', DATE '2026-04-15', DATE '2026-04-28', 30);
INSERT INTO campaign_members
  SELECT 1, i, CASE WHEN i <= 6 THEN 'treatment' ELSE 'control' END, TIMESTAMP '2026-03-01 09:00:00',
    CASE WHEN i <= 6 THEN TIMESTAMP '2026-03-01 10:00:00' END, NULL, NULL, NULL
  FROM range(1, 11) t(i);
INSERT INTO campaign_members
  SELECT 2, i, CASE WHEN i IN (1, 2, 6, 10) THEN 'treatment' ELSE 'control' END, TIMESTAMP '2026-04-15 09:00:00', NULL, NULL, NULL, NULL
  FROM (VALUES (1), (2), (3), (4), (5), (6), (10)) t(i);
INSERT INTO kpi_targets VALUES ('t01', 'revenue', DATE '2026-06-01', 20000), ('t01', 'repeat_rate', DATE '2026-06-01', 0.5);
`;
