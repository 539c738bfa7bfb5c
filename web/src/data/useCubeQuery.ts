import type { ResultSet } from '@cubejs-client/core';
import { useEffect, useState } from 'react';
import { useSessionContext } from './SessionContext';
import { readableError, type Query, type ReadableError } from './cubeApi';
import { sharedLoad } from './sharedLoad';

/** Where a long query stands while Cube answers "Continue wait" (the client polls by itself). */
export interface QueryProgress {
  stage: string;
  timeElapsed: number;
}

export interface CubeQueryState {
  resultSet: ResultSet | null;
  isLoading: boolean;
  error: ReadableError | null;
  progress: QueryProgress | null;
}

/**
 * The one data hook: loads a Cube query, keeps the last result while a new one loads, reports
 * Cube's progress, and drops responses (and progress) of superseded queries. A query is
 * identified by its JSON, so callers may rebuild equal queries on every render. `null` loads
 * nothing and clears the result, so a page never shows figures of a query it no longer asks.
 */
export function useCubeQuery(query: Query | null): CubeQueryState {
  const { cubeApi, onUnauthorized } = useSessionContext();
  const [state, setState] = useState<CubeQueryState>({ resultSet: null, isLoading: query !== null, error: null, progress: null });
  const key = query ? JSON.stringify(query) : null;

  useEffect(() => {
    if (!key) {
      setState((s) => (s.resultSet || s.error || s.isLoading || s.progress ? { resultSet: null, isLoading: false, error: null, progress: null } : s));
      return;
    }
    setState((s) => ({ ...s, isLoading: true, error: null, progress: null }));
    let live = true;
    const current = () => live;
    sharedLoad(cubeApi, key, (p) => {
      if (current()) setState((s) => ({ ...s, progress: { stage: p.stage(), timeElapsed: p.timeElapsed() } }));
    })
      .then((resultSet) => {
        if (current()) setState({ resultSet, isLoading: false, error: null, progress: null });
      })
      .catch((e: unknown) => {
        if (!current()) return;
        const error = readableError(e);
        if (error.key === 'error.auth') onUnauthorized();
        setState({ resultSet: null, isLoading: false, error, progress: null });
      });
    return () => {
      // Unmounted or superseded: whatever this request answers is dropped.
      live = false;
    };
  }, [key, cubeApi, onUnauthorized]);

  return state;
}
