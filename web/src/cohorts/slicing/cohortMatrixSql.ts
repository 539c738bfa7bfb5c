/**
 * The cohort matrix over the `cohort_activity` extract (one row per member and month they
 * ordered in), for a slice of members. Same definitions as the model's `cohorts` view:
 * retention(k) = members active in month first+k / cohort members; revenue retention(k) =
 * revenue in month first+k / the same members' first-month revenue; cumulative LTV(k) =
 * revenue up to month first+k / cohort members. Pure: runs on DuckDB-WASM in the browser and
 * in Node (tests).
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

export function cohortMatrixSql(slice: Slice): string {
  return `
    WITH base AS (
      SELECT customer_id, CAST(cohort_month AS DATE) AS cohort_month, CAST(month_offset AS INTEGER) AS month_offset, cohort_revenue
      FROM ${EXTRACT_TABLE} WHERE ${slicePredicate(slice)}
    ),
    last_month AS (SELECT max(cohort_month + to_months(month_offset)) AS m FROM base),
    sizes AS (
      SELECT cohort_month, count(DISTINCT customer_id) AS members,
        sum(CASE WHEN month_offset = 0 THEN cohort_revenue ELSE 0 END) AS first_month_revenue
      FROM base GROUP BY cohort_month
    ),
    grid AS (
      SELECT s.cohort_month, CAST(k.k AS INTEGER) AS month_offset, s.members, s.first_month_revenue
      FROM sizes s, range(0, 240) k(k), last_month
      WHERE s.cohort_month + to_months(CAST(k.k AS INTEGER)) <= last_month.m
    ),
    cells AS (
      SELECT g.cohort_month, g.month_offset, g.members, g.first_month_revenue,
        count(DISTINCT b.customer_id) AS active, COALESCE(sum(b.cohort_revenue), 0) AS revenue
      FROM grid g LEFT JOIN base b ON b.cohort_month = g.cohort_month AND b.month_offset = g.month_offset
      GROUP BY ALL
    )
    SELECT strftime(cohort_month, '%Y-%m-%d') AS cohort_month, month_offset, members, active,
      active / members AS retention,
      revenue / NULLIF(first_month_revenue, 0) AS revenue_retention,
      sum(revenue) OVER (PARTITION BY cohort_month ORDER BY month_offset) / members AS cumulative_ltv
    FROM cells ORDER BY cohort_month, month_offset`;
}
