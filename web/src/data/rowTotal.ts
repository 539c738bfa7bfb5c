import type { ResultSet } from '@cubejs-client/core';

/**
 * How many rows a paged list has in all, for a query sent with `total: true`: Cube puts the
 * count in its load response, which the ResultSet keeps but does not type. Null before the
 * answer, or when the query did not ask.
 */
export function rowTotal(resultSet: ResultSet | null | undefined): number | null {
  const results = (resultSet as { loadResponse?: { results?: { total?: number }[] } } | null | undefined)?.loadResponse?.results;
  return results?.[0]?.total ?? null;
}
