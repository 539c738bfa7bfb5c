import type { Session } from './session';

/**
 * Keeps the session's token fresh: hands out the current token while it has more than
 * `marginMs` left, otherwise asks `refresh` for a new session first (one request however many
 * queries are waiting). When no refresh is possible (a login session, or the server refused),
 * the current token is handed out and the server's 401 sends the user back to sign-in.
 */
export interface TokenKeeper {
  token(): Promise<string>;
  session(): Session;
}

export interface TokenKeeperOptions {
  /** A fresh session for the same identity, or null when this session cannot be renewed. */
  refresh: (current: Session) => Promise<Session | null>;
  /** Told about every renewed session (to keep it for the tab). */
  onRenew?: (session: Session) => void;
  now?: () => number;
  marginMs?: number;
}

export function createTokenKeeper(initial: Session, { refresh, onRenew, now = Date.now, marginMs = 60_000 }: TokenKeeperOptions): TokenKeeper {
  let current = initial;
  let renewing: Promise<string> | null = null;
  const fresh = () => new Date(current.expiresAt).getTime() - now() > marginMs;
  return {
    session: () => current,
    token() {
      if (fresh()) return Promise.resolve(current.token);
      renewing ??= refresh(current)
        .then((next) => {
          if (next && next.identity.tenant_id === current.identity.tenant_id && next.identity.role === current.identity.role) {
            current = next;
            onRenew?.(next);
          }
          return current.token;
        })
        .catch(() => current.token)
        .finally(() => {
          renewing = null;
        });
      return renewing;
    },
  };
}
