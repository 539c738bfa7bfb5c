import type { ResultSet } from '@cubejs-client/core';

/**
 * The minimum group size when the server hid figures in this answer (small-group protection
 * for roles without personal data), else null. A hidden figure is a null measure in a row that
 * keeps its dimensions, so the UI shows "< 10" where the number would be.
 */
export function suppressedBelow(resultSet: ResultSet | null | undefined): number | null {
  const results = (resultSet as { loadResponse?: { results?: { suppressed?: { minGroupSize: number } }[] } } | null | undefined)?.loadResponse?.results;
  return results?.[0]?.suppressed?.minGroupSize ?? null;
}
