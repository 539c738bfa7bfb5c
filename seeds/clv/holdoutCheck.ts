/**
 * The holdout check of a BG/NBD fit: what the tenant's members did after the calibration end,
 * beside what the fit expected (tracking.ts), written into clv_tracking_weeks and
 * clv_tracking_groups in one transaction, replacing the tenant's previous check. The members
 * are the fit's: those whose first purchase is on or before the calibration end; a purchase is
 * a day with orders, as in history.ts.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { fitBgNbd, type BgNbdParams } from './bgnbd.js';
import { groupCustomers } from './customerGroups.js';
import { DAYS_PER_UNIT, lastOrderDate, readHistory, type CustomerHistory, type TimeUnit } from './history.js';
import { groupExpectations, weeklyExpectedPurchases } from './tracking.js';

export interface HoldoutSummary {
  calibrationEnd: string;
  holdoutEnd: string;
  /** Purchases of the fitted members in the holdout, as they happened and as the fit expects them. */
  actual: number;
  expected: number;
}

/**
 * Checks a fit: against the orders after its calibration end when there are any (npm run clv
 * --calibration-end); otherwise (a fit to the last order day, as seed and import run it) a BG/NBD
 * refitted on the default calibration period (defaultHoldout) is checked on the rest, so every
 * fitted tenant has a check. Only clv_tracking_* is written. Null when the history is too short.
 */
export async function checkHoldout(
  connection: DuckDBConnection,
  fit: { tenant: string; calibrationEnd: string; unit: TimeUnit },
  params: BgNbdParams,
  history: CustomerHistory,
): Promise<HoldoutSummary | null> {
  const lastDay = await lastOrderDate(connection, fit.tenant);
  if (lastDay && lastDay > fit.calibrationEnd) return writeHoldoutCheck(connection, { ...fit, holdoutEnd: lastDay }, params, history);
  const period = await defaultHoldout(connection, fit.tenant);
  if (!period) return null;
  const calibration = await readHistory(connection, fit.tenant, period.calibrationEnd, fit.unit);
  if (calibration.x.length < 10) return null;
  return writeHoldoutCheck(connection, { tenant: fit.tenant, unit: fit.unit, ...period }, fitBgNbd(groupCustomers(calibration.x, calibration.tx, calibration.T)), calibration);
}

export interface HoldoutPeriod {
  tenant: string;
  calibrationEnd: string;
  /** Last day of the holdout: the tenant's last order day. */
  holdoutEnd: string;
  unit: TimeUnit;
}

const PURCHASE_DAYS_SQL = `
  WITH days AS (
    SELECT DISTINCT customer_id, CAST(ordered_at AS DATE) AS day FROM orders
    WHERE tenant_id = $tenant AND customer_id IS NOT NULL AND CAST(ordered_at AS DATE) <= CAST($holdout_end AS DATE)
  ),
  firsts AS (SELECT customer_id, min(day) AS first_day FROM days GROUP BY customer_id HAVING min(day) <= CAST($calibration_end AS DATE)),
  start AS (SELECT min(first_day) AS start_day FROM firsts)`;

/** Per member of the fit, in history.ts's order: first purchase day (from the tenant's first) and holdout purchase days. */
const MEMBERS_SQL = `${PURCHASE_DAYS_SQL}
  SELECT f.customer_id, CAST(date_diff('day', s.start_day, f.first_day) AS INTEGER) AS first_day,
    CAST(count(d.day) FILTER (WHERE d.day > CAST($calibration_end AS DATE)) AS DOUBLE) AS holdout_purchases
  FROM firsts f CROSS JOIN start s JOIN days d USING (customer_id)
  GROUP BY f.customer_id, f.first_day, s.start_day ORDER BY f.customer_id`;

/** Repeat purchase days per week of the tenant's history (week 1 starts on its first purchase day). */
const WEEKS_SQL = `${PURCHASE_DAYS_SQL}
  SELECT CAST(floor(date_diff('day', s.start_day, d.day) / 7) AS INTEGER) + 1 AS week, count(*) AS repeat_purchases, count(DISTINCT d.customer_id) AS repeat_buyers
  FROM days d JOIN firsts f USING (customer_id) CROSS JOIN start s WHERE d.day > f.first_day GROUP BY 1 ORDER BY 1`;

const START_SQL = `${PURCHASE_DAYS_SQL}
  SELECT start_day::VARCHAR AS start_day, date_diff('day', start_day, CAST($calibration_end AS DATE)) AS calibration_day,
    date_diff('day', start_day, CAST($holdout_end AS DATE)) AS last_day FROM start`;

/** The staged weeks and groups replace the tenant's previous check (statements of one transaction). */
const REPLACE_SQL = [
  'DELETE FROM clv_tracking_weeks WHERE tenant_id = $tenant',
  'DELETE FROM clv_tracking_groups WHERE tenant_id = $tenant',
  `INSERT INTO clv_tracking_weeks
  SELECT $tenant, CAST($calibration_end AS DATE), CAST($holdout_end AS DATE), week, CAST(CAST($start_day AS DATE) + 7 * (week - 1) AS DATE),
    CAST($start_day AS DATE) + 7 * (week - 1) > CAST($calibration_end AS DATE), $customers, actual, expected, buyers
  FROM stage_tracking_weeks ORDER BY week`,
  `INSERT INTO clv_tracking_groups
  SELECT $tenant, CAST($calibration_end AS DATE), CAST($holdout_end AS DATE), calibration_purchases, customers, actual, expected
  FROM stage_tracking_groups ORDER BY calibration_purchases`,
];

/**
 * The default holdout of a tenant whose fit runs to its last order day: the later half of its
 * member history, at most 52 weeks, in whole weeks (CDNOW's 78 weeks give FHL's 39 + 39).
 * Null when the history is shorter than two weeks.
 */
async function defaultHoldout(connection: DuckDBConnection, tenant: string): Promise<{ calibrationEnd: string; holdoutEnd: string } | null> {
  const reader = await connection.runAndReadAll(
    `WITH span AS (SELECT CAST(min(ordered_at) AS DATE) AS first_day, CAST(max(ordered_at) AS DATE) AS last_day
       FROM orders WHERE tenant_id = $tenant AND customer_id IS NOT NULL),
     holdout AS (SELECT *, least(52, round(date_diff('day', first_day, last_day) / 7 / 2)) AS weeks FROM span)
     SELECT (last_day - CAST(7 * weeks AS INTEGER))::VARCHAR AS calibration_end, last_day::VARCHAR AS holdout_end FROM holdout WHERE weeks >= 1`,
    { tenant },
  );
  const [row] = reader.getRowObjects();
  return row ? { calibrationEnd: String(row.calibration_end), holdoutEnd: String(row.holdout_end) } : null;
}

/** Computes the check of `params` (fitted on `history`, the calibration period) and writes it. */
async function writeHoldoutCheck(connection: DuckDBConnection, period: HoldoutPeriod, params: BgNbdParams, history: CustomerHistory): Promise<HoldoutSummary> {
  const key = { tenant: period.tenant, calibration_end: period.calibrationEnd, holdout_end: period.holdoutEnd };
  const [ids, firstDays, holdoutPurchases] = (await connection.runAndReadAll(MEMBERS_SQL, key)).getColumns() as [bigint[], number[], number[]];
  if (ids.length !== history.customerId.length || ids.some((id, i) => id !== history.customerId[i])) {
    throw new Error(`holdout check of ${period.tenant}: the members differ from the fit's history`);
  }
  const [start] = (await connection.runAndReadAll(START_SQL, key)).getRowObjects();
  const lastDay = Number(start.last_day);
  const perUnit = DAYS_PER_UNIT[period.unit];
  const holdoutLength = (lastDay - Number(start.calibration_day)) / perUnit;
  const groups = groupExpectations(params, { ...history, holdoutPurchases: Float64Array.from(holdoutPurchases) }, holdoutLength);
  const expected = weeklyExpectedPurchases(params, Int32Array.from(firstDays), lastDay, perUnit);
  const actual = new Map((await connection.runAndReadAll(WEEKS_SQL, key)).getRows().map(([w, n, buyers]) => [Number(w), { purchases: Number(n), buyers: Number(buyers) }]));

  await connection.run(`CREATE OR REPLACE TEMP TABLE stage_tracking_weeks (week INTEGER, actual BIGINT, expected DOUBLE, buyers BIGINT);
    CREATE OR REPLACE TEMP TABLE stage_tracking_groups (calibration_purchases INTEGER, customers BIGINT, actual BIGINT, expected DOUBLE)`);
  const weeks = await connection.createAppender('stage_tracking_weeks', 'main', 'temp');
  expected.forEach((e, i) => {
    weeks.appendInteger(i + 1);
    weeks.appendBigInt(BigInt(actual.get(i + 1)?.purchases ?? 0));
    weeks.appendDouble(e);
    weeks.appendBigInt(BigInt(actual.get(i + 1)?.buyers ?? 0));
    weeks.endRow();
  });
  weeks.closeSync();
  const groupRows = await connection.createAppender('stage_tracking_groups', 'main', 'temp');
  for (const g of groups) {
    groupRows.appendInteger(g.calibrationPurchases);
    groupRows.appendBigInt(BigInt(g.customers));
    groupRows.appendBigInt(BigInt(g.actual));
    groupRows.appendDouble(g.expected);
    groupRows.endRow();
  }
  groupRows.closeSync();
  await connection.run('BEGIN TRANSACTION');
  try {
    const values = { ...key, start_day: String(start.start_day), customers: ids.length };
    // DuckDB binds parameters per statement: each gets the ones it names.
    for (const sql of REPLACE_SQL) await connection.run(sql, Object.fromEntries(Object.entries(values).filter(([name]) => sql.includes(`$${name}`))));
    await connection.run('COMMIT');
  } catch (e) {
    await connection.run('ROLLBACK');
    throw e;
  }
  const sum = (f: (g: (typeof groups)[number]) => number) => groups.reduce((s, g) => s + f(g), 0);
  return { calibrationEnd: period.calibrationEnd, holdoutEnd: period.holdoutEnd, actual: sum((g) => g.actual), expected: sum((g) => g.expected) };
}
