import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURE_MODEL = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixture-model');

/**
 * Five events, small enough to check every expected value by hand. Timestamps are local
 * time without zone, as in the warehouse.
 */
export const EVENTS_SQL = `
CREATE TABLE events (
  id BIGINT, tenant_id VARCHAR, label VARCHAR, happened_at TIMESTAMP, day DATE,
  amount DECIMAL(18,2), flag BOOLEAN, big BIGINT
);
INSERT INTO events VALUES
  (1, 't01', 'apple',       TIMESTAMP '2024-01-15 08:30:00', DATE '2024-01-15', 100.25, true,  9007199254740993),
  (2, 't01', 'O''Brien',    TIMESTAMP '2024-01-31 23:59:59', DATE '2024-01-31', 200.00, false, 1),
  (3, 't01', '100% cotton', TIMESTAMP '2024-02-01 00:00:00', DATE '2024-02-01',  50.50, true,  1),
  (4, 't02', 'banana',      TIMESTAMP '2024-04-10 12:00:00', DATE '2024-04-10', 1000.00, NULL, 1),
  (5, 't02', NULL,          TIMESTAMP '2025-01-01 00:00:00', DATE '2025-01-01',   0.05, true,  1);

-- People: t01 has 12 customers (9 in Kanto, 3 in Kinki), t02 has 3 (all Kanto).
CREATE TABLE people (customer_id BIGINT, tenant_id VARCHAR, name VARCHAR, email VARCHAR, region VARCHAR, spend DECIMAL(18,2));
INSERT INTO people
  SELECT i, 't01', 'Person ' || i, 'person' || i || '@example.jp', CASE WHEN i <= 9 THEN 'Kanto' ELSE 'Kinki' END, 1000 FROM range(1, 13) t(i);
INSERT INTO people
  SELECT i, 't02', 'Person ' || i, 'person' || i || '@example.jp', 'Kanto', 500 FROM range(13, 16) t(i);
`;
