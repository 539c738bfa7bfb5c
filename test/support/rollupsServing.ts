import { randomUUID } from 'node:crypto';
import { ADMIN_TOKEN, type ApiResponse } from './apiClient.js';

/**
 * A /load (waiting out "Continue wait") and the rollups that served it, read where the server
 * records them: the audit trail, which only admins read. Clients are not told rollup table names.
 */
export async function loadWithRollups(baseUrl: string, query: unknown, token: string = ADMIN_TOKEN()): Promise<ApiResponse & { rollups: string[] }> {
  const requestId = randomUUID();
  for (;;) {
    const res = await fetch(`${baseUrl}/cubejs-api/v1/load?query=${encodeURIComponent(JSON.stringify(query))}`, { headers: { Authorization: token, 'x-request-id': requestId } });
    const body = await res.json();
    if (res.status === 200 && body.error === 'Continue wait') continue;
    return { status: res.status, body, rollups: await rollupsOfRequest(baseUrl, requestId) };
  }
}

/** The rollups the audit trail says served the query of this request (Cube suffixes its request ids). */
export async function rollupsOfRequest(baseUrl: string, requestId: string): Promise<string[]> {
  const res = await fetch(`${baseUrl}/api/audit?kind=query&limit=50`, { headers: { Authorization: ADMIN_TOKEN() } });
  const { events } = (await res.json()) as { events: { request_id: string | null; detail: { rollups?: string[] } }[] };
  const event = events.find((e) => e.request_id?.startsWith(requestId));
  if (!event) throw new Error(`No audit event for request ${requestId}`);
  return event.detail.rollups ?? [];
}
