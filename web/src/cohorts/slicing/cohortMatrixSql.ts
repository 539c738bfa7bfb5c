/**
 * The cohort matrix over the `cohort_activity` extract (active members and revenue per cohort
 * month, month offset and slice attributes), for a slice of members. Same definitions as the
 * model's `cohorts` view: retention(k) = members active in month first+k / cohort members
 * (every member is active in offset 0, the month of their first order); revenue retention(k) =
 * revenue in month first+k / the same members' first-month revenue; cumulative LTV(k) = revenue
 * up to month first+k / cohort members. A cohort of fewer than `minGroupSize` members in the
 * slice is shown as suppressed, as the API shows it for the same role; so is a month whose active
 * members and revenue the server withheld (NULL: too few active members), and every cumulative LTV
 * from it on. Pure: runs on DuckDB-WASM in the
 * browser and in Node (tests).
 */
export const SLICE_DIMENSIONS = ['signup_channel', 'region', 'tier', 'age_band', 'gender'] as const;
export type SliceDimension = (typeof SLICE_DIMENSIONS)[number];
export type Slice = Partial<Record<SliceDimension, string>>;

export const EXTRACT_TABLE = 'cohort_activity';

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Under small-group suppression the extract holds every slice as its own rows (SQL grouping
 * sets, small slices left out by the server): `slice_set` has bit 4 (16) for `signup_channel` …
 * bit 0 (1) for `gender` set when the slice takes all values of that attribute, in the order
 * of SLICE_DIMENSIONS (cube/http/extractRoutes.ts). Without suppression it holds only the
 * finest grain (`slice_set` 0), and a slice sums its combinations.
 */
export function sliceSet(slice: Slice): number {
  return SLICE_DIMENSIONS.reduce((mask, d, i) => (slice[d] ? mask : mask | (1 << (SLICE_DIMENSIONS.length - 1 - i))), 0);
}

function slicePredicate(slice: Slice, suppressed: boolean): string {
  return [`slice_set = ${suppressed ? sliceSet(slice) : 0}`, ...SLICE_DIMENSIONS.filter((d) => slice[d]).map((d) => `${d} = ${literal(slice[d]!)}`)].join(' AND ');
}

export function cohortMatrixSql(slice: Slice, minGroupSize = 0): string {
  const minimum = Math.max(0, Math.floor(minGroupSize));
  // Under suppression the server leaves out slices of small cohorts: every cohort month of the
  // tenant is listed, and one missing from the slice shows as "< N".
  return `
    WITH active AS (
      SELECT CAST(cohort_month AS DATE) AS cohort_month, CAST(month_offset AS INTEGER) AS month_offset,
        sum(retained_customers) AS active, sum(cohort_revenue) AS revenue, true AS present
      FROM ${EXTRACT_TABLE} WHERE ${slicePredicate(slice, minimum > 0)} GROUP BY ALL
    ),
    last_month AS (SELECT max(CAST(cohort_month AS DATE) + to_months(CAST(month_offset AS INTEGER))) AS m FROM ${EXTRACT_TABLE}),
    cohort_months AS (
      SELECT cohort_month FROM active WHERE month_offset = 0
      UNION SELECT DISTINCT CAST(cohort_month AS DATE) FROM ${EXTRACT_TABLE} WHERE ${minimum > 0}
    ),
    sizes AS (
      SELECT c.cohort_month, a.active AS members, a.revenue AS first_month_revenue
      FROM cohort_months c LEFT JOIN active a ON a.cohort_month = c.cohort_month AND a.month_offset = 0
    ),
    grid AS (
      SELECT s.cohort_month, CAST(k.k AS INTEGER) AS month_offset, s.members, s.first_month_revenue
      FROM sizes s, range(0, 240) k(k), last_month
      WHERE s.cohort_month + to_months(CAST(k.k AS INTEGER)) <= last_month.m
    ),
    cells AS (
      SELECT g.*, CASE WHEN a.present THEN a.active ELSE 0 END AS active, CASE WHEN a.present THEN a.revenue ELSE 0 END AS revenue,
        (g.members IS NULL OR g.members < ${minimum}) AS suppressed
      FROM grid g LEFT JOIN active a USING (cohort_month, month_offset)
    )
    SELECT strftime(cohort_month, '%Y-%m-%d') AS cohort_month, month_offset, suppressed,
      CASE WHEN NOT suppressed THEN members END AS members,
      CASE WHEN NOT suppressed THEN active / members END AS retention,
      CASE WHEN NOT suppressed THEN revenue / NULLIF(first_month_revenue, 0) END AS revenue_retention,
      CASE WHEN NOT suppressed AND count(*) OVER upto = count(revenue) OVER upto THEN sum(revenue) OVER upto / members END AS cumulative_ltv
    FROM cells WINDOW upto AS (PARTITION BY cohort_month ORDER BY month_offset) ORDER BY cohort_month, month_offset`;
}
