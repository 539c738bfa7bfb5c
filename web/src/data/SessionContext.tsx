import type { CubeApi } from '@cubejs-client/core';
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { createCubeApi } from './cubeApi';
import { keep, renewSession, type Session } from './session';
import { createTokenKeeper } from './tokenKeeper';

interface SessionContextValue {
  session: Session;
  /** The current token, renewed before it expires when the session allows it. */
  token: () => Promise<string>;
  cubeApi: CubeApi;
  onUnauthorized: () => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ session, onUnauthorized, children }: { session: Session; onUnauthorized: () => void; children: ReactNode }) {
  const value = useMemo(() => {
    const keeper = createTokenKeeper(session, { refresh: renewSession, onRenew: keep });
    const token = () => keeper.token();
    return { session, token, cubeApi: createCubeApi(token), onUnauthorized };
  }, [session, onUnauthorized]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionContext(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSessionContext outside SessionProvider');
  return value;
}
