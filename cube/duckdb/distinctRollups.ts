import { BaseMeasure } from '../cubePackages.js';

/*
 * Exact distinct counts that a rollup can re-aggregate, on DuckDB. Cube treats `count_distinct`
 * as non-additive: a rollup can serve it only for a query at exactly its grain, so the board's
 * active customers over a month or a quarter, and the customer count that small-group
 * suppression adds to every query of a role without personal data, read the base tables. Here a
 * rollup keeps each row's distinct values as a list instead of their count, and a query over it
 * counts the distinct members of the union of its rows' lists: the same number as
 * count(DISTINCT …) over the base rows, at any coarser grain (unlike `count_distinct_approx`,
 * which is an estimate). The model stays plain `count_distinct`; other dialects keep Cube's rule.
 */

/** What a rollup stores for a count_distinct measure: its row's distinct non-null values. */
export function distinctValuesSql(sql: string): string {
  return `list(DISTINCT ${sql}) FILTER (WHERE (${sql}) IS NOT NULL)`;
}

/** The exact distinct count over rollup rows, from their lists (0 for no rows, as count(DISTINCT) gives). */
export function mergedDistinctCountSql(column: string): string {
  return `COALESCE(len(list_distinct(flatten(list(${column})))), 0)`;
}

/** A measure that tells Cube's rollup matching a count_distinct re-aggregates (see above). */
export class DuckDBMeasure extends BaseMeasure {
  isAdditive(): boolean {
    return super.isAdditive() || (!this.expression && isDistinctCount(this.measureDefinition()));
  }
}

export function isDistinctCount(definition: { type?: string; postAggregate?: boolean }): boolean {
  return definition.type === 'countDistinct' && !definition.postAggregate;
}
