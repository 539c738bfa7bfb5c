/**
 * Each member's purchase history up to the calibration end, read from the warehouse as the
 * models need it. As in FHL 2005, a purchase is a day with orders (same-day orders are one
 * transaction of their summed value); x counts the days after the first, t_x and T run from
 * the first purchase day to the last one and to the calibration end, in days or weeks.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

export type TimeUnit = 'day' | 'week';
export const DAYS_PER_UNIT: Record<TimeUnit, number> = { day: 1, week: 7 };

export interface CustomerHistory {
  customerId: BigInt64Array;
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Mean value of the repeat purchase days (0 when x = 0). */
  zbar: Float64Array;
}

const HISTORY_SQL = `
  WITH days AS (
    SELECT customer_id, CAST(ordered_at AS DATE) AS day, sum(net_amount) AS amount
    FROM orders
    WHERE tenant_id = $tenant AND customer_id IS NOT NULL AND CAST(ordered_at AS DATE) <= CAST($end AS DATE)
    GROUP BY 1, 2
  ),
  numbered AS (SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY day) AS n FROM days)
  SELECT customer_id, CAST(count(*) - 1 AS DOUBLE) AS x,
    CAST(date_diff('day', min(day), max(day)) AS DOUBLE) AS tx_days,
    CAST(date_diff('day', min(day), CAST($end AS DATE)) AS DOUBLE) AS t_days,
    CAST(COALESCE(avg(amount) FILTER (WHERE n > 1), 0) AS DOUBLE) AS zbar
  FROM numbered GROUP BY customer_id ORDER BY customer_id`;

/** The tenant's last order day: the default calibration end (predictions from the end of the data). */
export async function lastOrderDate(connection: DuckDBConnection, tenant: string): Promise<string | null> {
  const reader = await connection.runAndReadAll('SELECT CAST(max(ordered_at) AS DATE)::VARCHAR FROM orders WHERE tenant_id = $tenant', { tenant });
  return (reader.getRows()[0][0] as string | null) ?? null;
}

export async function readHistory(connection: DuckDBConnection, tenant: string, calibrationEnd: string, unit: TimeUnit): Promise<CustomerHistory> {
  const reader = await connection.runAndReadAll(HISTORY_SQL, { tenant, end: calibrationEnd });
  const [ids, x, txDays, tDays, zbar] = reader.getColumns();
  const perUnit = DAYS_PER_UNIT[unit];
  return {
    customerId: BigInt64Array.from(ids as bigint[]),
    x: Float64Array.from(x as number[]),
    tx: Float64Array.from(txDays as number[], (d) => d / perUnit),
    T: Float64Array.from(tDays as number[], (d) => d / perUnit),
    zbar: Float64Array.from(zbar as number[]),
  };
}
