import type { SecurityContext } from '../auth/securityContext.js';
import type { CubeQuery } from '../policy/queryMembers.js';
import { isContinueWait } from '../engine/upstreamErrors.js';
import { actorOf, type AuditEvent } from './auditTrail.js';

/** Filters are kept in the trail up to this length of JSON: enough to read them, not a way to fill the disk. */
const MAX_FILTER_TEXT = 4000;

/** The query as the caller sent it (Cube takes an object, or JSON text from a GET). */
function askedQuery(query: unknown): CubeQuery | null {
  if (typeof query === 'string') {
    try {
      return askedQuery(JSON.parse(query));
    } catch {
      return null;
    }
  }
  return query && typeof query === 'object' && !Array.isArray(query) ? (query as CubeQuery) : null;
}

/** The strings of a list from the request (anything else counts as none). */
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** What a response's `suppressed` says, as counts: row index lists become their length. */
function suppressedCounts(suppressed: unknown): Record<string, unknown> | null {
  if (!suppressed || typeof suppressed !== 'object') return null;
  return Object.fromEntries(Object.entries(suppressed).map(([key, value]) => [key, Array.isArray(value) ? value.length : value]));
}

/**
 * One query's entry in the audit trail, from what /load answered: the members and filters the
 * caller asked for (before the tenant scope and the policies' own additions), rows returned,
 * figures withheld or blanked, how long the answer took and the rollups that served it. Null
 * for "Continue wait", which is not an answer: the poll that gets the answer is recorded.
 */
export function queryAuditEvent(
  context: { securityContext: SecurityContext; requestId?: string },
  query: unknown,
  message: any,
  status: number,
  durationMs: number,
  rollups: string[] = [],
): AuditEvent | null {
  if (status === 200 && isContinueWait(message)) return null;
  const asked = askedQuery(query);
  const filters = JSON.stringify(asked?.filters ?? []);
  const timeDimensions: any[] = Array.isArray(asked?.timeDimensions) ? asked.timeDimensions : [];
  const results: any[] = Array.isArray(message?.results) ? message.results : message?.data ? [message] : [];
  const failed = status !== 200 || !!message?.error;
  return {
    kind: 'query',
    outcome: failed ? (status === 400 || status === 403 ? 'refused' : 'failed') : 'ok',
    ...actorOf(context.securityContext),
    request_id: context.requestId ?? null,
    detail: {
      members: [...strings(asked?.measures), ...strings(asked?.dimensions), ...strings(timeDimensions.map((t) => t?.dimension)), ...strings(asked?.segments)],
      filters: filters.length > MAX_FILTER_TEXT ? `${filters.slice(0, MAX_FILTER_TEXT)}…` : JSON.parse(filters),
      dateRanges: timeDimensions.map((t) => t?.dateRange ?? null),
      ...(failed ? { status, error: String(message?.error ?? '').slice(0, 500) } : {}),
      rows: results.reduce((sum, r) => sum + (Array.isArray(r.data) ? r.data.length : 0), 0),
      suppressed: results.map((r) => suppressedCounts(r.suppressed)).filter((s) => s !== null),
      durationMs: Math.round(durationMs),
      // Admins read here which rollups served a query: clients are not told their table names.
      ...(rollups.length ? { rollups } : {}),
    },
  };
}
