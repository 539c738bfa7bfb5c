import type { CubeApi } from '@cubejs-client/core';
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { createCubeApi } from './cubeApi';
import type { Session } from './session';

interface SessionContextValue {
  session: Session;
  cubeApi: CubeApi;
  onUnauthorized: () => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ session, onUnauthorized, children }: { session: Session; onUnauthorized: () => void; children: ReactNode }) {
  const value = useMemo(() => ({ session, cubeApi: createCubeApi(session.token), onUnauthorized }), [session, onUnauthorized]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionContext(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSessionContext outside SessionProvider');
  return value;
}
