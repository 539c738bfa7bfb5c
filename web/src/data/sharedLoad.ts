import type { CubeApi, ProgressResult, Query, ResultSet } from '@cubejs-client/core';

/** Requests in flight per client (a new session gets a new client, so never another user's answer). */
const inFlight = new WeakMap<CubeApi, Map<string, Promise<ResultSet>>>();

/**
 * Loads a query once however many components ask it at the same time: the board asks some
 * queries from several cards (a fiscal year's previous period is also its same period last
 * year), and each would otherwise be its own request to the server. The first caller gets
 * Cube's progress; the promise is forgotten once it settles, so a later ask loads fresh.
 */
export function sharedLoad(cubeApi: CubeApi, key: string, onProgress: (p: ProgressResult) => void): Promise<ResultSet> {
  let byKey = inFlight.get(cubeApi);
  if (!byKey) inFlight.set(cubeApi, (byKey = new Map()));
  const pending = byKey.get(key);
  if (pending) return pending;
  const loading = cubeApi.load(JSON.parse(key) as Query, { progressCallback: onProgress }).finally(() => byKey.delete(key));
  byKey.set(key, loading);
  return loading;
}
