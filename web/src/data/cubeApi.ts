import cube, { type CubeApi, type Query } from '@cubejs-client/core';

/**
 * The one Cube client of the app. The token is asked for on every request, so a renewed
 * token is used without recreating the client (and without reloading what is on screen).
 */
export function createCubeApi(token: () => Promise<string>): CubeApi {
  return cube(token, { apiUrl: '/cubejs-api/v1' });
}

export type { Query };

/** What went wrong, in words a person understands (translated by key; `detail` is the server's own message). */
export interface ReadableError {
  key: 'error.auth' | 'error.forbidden' | 'error.query' | 'error.server' | 'error.network';
  detail?: string;
}

/**
 * Maps a failure of `@cubejs-client/core` (a RequestError carrying `status` and the JSON body
 * as `response`) or of `fetch` (no status: the server was not reached) to a ReadableError.
 */
export function readableError(error: unknown): ReadableError {
  const e = (error ?? {}) as { status?: number; response?: { error?: unknown }; message?: string };
  const body = e.response?.error;
  const detail = typeof body === 'string' && body ? body : e.message || undefined;
  if (e.status === 401) return { key: 'error.auth' };
  if (e.status === 403) return { key: 'error.forbidden', detail };
  if (e.status === 400) return { key: 'error.query', detail };
  if (typeof e.status === 'number' && e.status > 0) return { key: 'error.server', detail };
  return { key: 'error.network', detail };
}
