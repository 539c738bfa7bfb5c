import { signApiToken } from '../../cube/auth/tokens.js';
import type { SecurityContext } from '../../cube/auth/securityContext.js';

export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

export function tokenFor(context: SecurityContext, expiresIn: string | number = '10m'): string {
  return signApiToken(TEST_SECRET, context, expiresIn);
}

export const ADMIN_TOKEN = () => tokenFor({ tenant_id: '*', role: 'admin' });

export interface ApiResponse {
  status: number;
  body: any;
}

/**
 * GET /load through the REST API, waiting out Cube's "Continue wait" like the client does.
 * `queryType: 'multi'` is what the JS client sends: it lets a compareDateRange query through.
 */
export async function load(baseUrl: string, query: unknown, token: string = ADMIN_TOKEN(), queryType?: 'multi'): Promise<ApiResponse> {
  for (;;) {
    const res = await fetch(`${baseUrl}/cubejs-api/v1/load?${queryType ? `queryType=${queryType}&` : ''}query=${encodeURIComponent(JSON.stringify(query))}`, {
      headers: { Authorization: token },
    });
    const body = await res.json();
    if (!(res.status === 200 && body.error === 'Continue wait')) return { status: res.status, body };
  }
}

/** Rows of a successful /load, failing loudly with Cube's message otherwise. */
export async function loadRows(baseUrl: string, query: unknown, token?: string): Promise<Record<string, string | null>[]> {
  const { status, body } = await load(baseUrl, query, token);
  if (status !== 200) throw new Error(`HTTP ${status}: ${JSON.stringify(body)}`);
  return body.data;
}
