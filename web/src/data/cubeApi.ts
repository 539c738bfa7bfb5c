import cube, { type CubeApi, type Query } from '@cubejs-client/core';

/** The one Cube client of the app, bound to the session token. */
export function createCubeApi(token: string): CubeApi {
  return cube(token, { apiUrl: '/cubejs-api/v1' });
}

export type { Query };

/** What went wrong, in words a person understands (translated by key). */
export interface ReadableError {
  key: 'error.auth' | 'error.forbidden' | 'error.query' | 'error.network';
  detail?: string;
}

export function readableError(error: unknown): ReadableError {
  const e = error as { status?: number; response?: { error?: string }; message?: string };
  const detail = e.response?.error ?? e.message;
  if (e.status === 401) return { key: 'error.auth' };
  if (e.status === 403) return { key: 'error.forbidden', detail };
  if (e.status === 400) return { key: 'error.query', detail };
  return { key: 'error.network', detail };
}
