/**
 * The cohort matrix over the `cohort_activity` extract (active members and revenue per cohort
 * month, month offset and slice attributes), for a slice of members. Same definitions as the
 * model's `cohorts` view: retention(k) = members active in month first+k / cohort members
 * (every member is active in offset 0, the month of their first order); revenue retention(k) =
 * revenue in month first+k / the same members' first-month revenue; cumulative LTV(k) = revenue
 * up to month first+k / cohort members. A cohort of fewer than `minGroupSize` members is
 * suppressed, as the API suppresses it for the same role. Pure: runs on DuckDB-WASM in the
 * browser and in Node (tests).
 */
export const SLICE_DIMENSIONS = ['signup_channel', 'region', 'tier', 'age_band', 'gender'] as const;
export type SliceDimension = (typeof SLICE_DIMENSIONS)[number];
export type Slice = Partial<Record<SliceDimension, string>>;

export const EXTRACT_TABLE = 'cohort_activity';

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

export function slicePredicate(slice: Slice): string {
  const parts = SLICE_DIMENSIONS.filter((d) => slice[d]).map((d) => `${d} = ${literal(slice[d]!)}`);
  return parts.length ? parts.join(' AND ') : 'TRUE';
}

export function cohortMatrixSql(slice: Slice, minGroupSize = 0): string {
  return `
    WITH active AS (
      SELECT CAST(cohort_month AS DATE) AS cohort_month, CAST(month_offset AS INTEGER) AS month_offset,
        sum(retained_customers) AS active, sum(cohort_revenue) AS revenue
      FROM ${EXTRACT_TABLE} WHERE ${slicePredicate(slice)} GROUP BY ALL
    ),
    last_month AS (SELECT max(cohort_month + to_months(month_offset)) AS m FROM active),
    sizes AS (SELECT cohort_month, active AS members, revenue AS first_month_revenue FROM active WHERE month_offset = 0),
    grid AS (
      SELECT s.cohort_month, CAST(k.k AS INTEGER) AS month_offset, s.members, s.first_month_revenue
      FROM sizes s, range(0, 240) k(k), last_month
      WHERE s.cohort_month + to_months(CAST(k.k AS INTEGER)) <= last_month.m
    ),
    cells AS (
      SELECT g.*, COALESCE(a.active, 0) AS active, COALESCE(a.revenue, 0) AS revenue, g.members < ${Math.max(0, Math.floor(minGroupSize))} AS suppressed
      FROM grid g LEFT JOIN active a USING (cohort_month, month_offset)
    )
    SELECT strftime(cohort_month, '%Y-%m-%d') AS cohort_month, month_offset, suppressed,
      CASE WHEN NOT suppressed THEN members END AS members,
      CASE WHEN NOT suppressed THEN active / members END AS retention,
      CASE WHEN NOT suppressed THEN revenue / NULLIF(first_month_revenue, 0) END AS revenue_retention,
      CASE WHEN NOT suppressed THEN sum(revenue) OVER (PARTITION BY cohort_month ORDER BY month_offset) / members END AS cumulative_ltv
    FROM cells ORDER BY cohort_month, month_offset`;
}
