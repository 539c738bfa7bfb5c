import type { ResultSet } from '@cubejs-client/core';
import { useEffect, useRef, useState } from 'react';
import { useSessionContext } from './SessionContext';
import { readableError, type Query, type ReadableError } from './cubeApi';

export interface CubeQueryState {
  resultSet: ResultSet | null;
  isLoading: boolean;
  error: ReadableError | null;
}

/**
 * The one data hook: loads a Cube query, keeps the last result while a new one loads, and
 * drops responses of superseded queries. `null` skips loading.
 */
export function useCubeQuery(query: Query | null): CubeQueryState {
  const { cubeApi, onUnauthorized } = useSessionContext();
  const [state, setState] = useState<CubeQueryState>({ resultSet: null, isLoading: query !== null, error: null });
  const latest = useRef(0);
  const key = query ? JSON.stringify(query) : null;

  useEffect(() => {
    if (!key) return;
    const id = ++latest.current;
    setState((s) => ({ ...s, isLoading: true, error: null }));
    cubeApi
      .load(JSON.parse(key) as Query)
      .then((resultSet) => {
        if (id === latest.current) setState({ resultSet, isLoading: false, error: null });
      })
      .catch((e: unknown) => {
        if (id !== latest.current) return;
        const error = readableError(e);
        if (error.key === 'error.auth') onUnauthorized();
        setState({ resultSet: null, isLoading: false, error });
      });
  }, [key, cubeApi, onUnauthorized]);

  return state;
}
