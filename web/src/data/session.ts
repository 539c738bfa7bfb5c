/** The signed-in session: a token from /auth/login (or the loopback demo token), kept for the tab. */
export interface Identity {
  tenant_id: string;
  role: string;
  sub?: string;
}

export interface Session {
  token: string;
  expiresAt: string;
  identity: Identity;
  /** How it was obtained: a demo session renews itself from /auth/demo-token before it expires. */
  source?: 'login' | 'demo';
}

const STORAGE_KEY = 'crm.session';

export function storedSession(): Session | null {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  if (!raw) return null;
  const session = JSON.parse(raw) as Session;
  return new Date(session.expiresAt).getTime() > Date.now() + 30_000 ? session : null;
}

export function keep(session: Session): Session {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  return session;
}

export class LoginError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** From a 429's Retry-After: how long the login throttle asks to wait. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export async function login(username: string, password: string): Promise<Session> {
  const res = await fetch('/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new LoginError(res.status, body.error ?? `HTTP ${res.status}`, Number(res.headers.get('Retry-After')) || undefined);
  return keep({ ...(body as Session), source: 'login' });
}

/**
 * Whether the server offers the demo token to this browser: only a local server started with
 * CRM_DEMO_TOKEN=on, reached directly on a loopback address. Asks without minting a token (HEAD).
 */
export async function demoTokenOffered(): Promise<boolean> {
  try {
    return (await fetch('/auth/demo-token', { method: 'HEAD' })).ok;
  } catch {
    return false;
  }
}

/** The loopback demo identity, when the server offers one (local runs with CRM_DEMO_TOKEN=on only). */
export async function demoSession(): Promise<Session | null> {
  const res = await fetch('/auth/demo-token');
  return res.ok ? keep({ ...((await res.json()) as Session), source: 'demo' }) : null;
}

/** A fresh session for the same identity, when this kind of session can be renewed without the user. */
export function renewSession(current: Session): Promise<Session | null> {
  return current.source === 'demo' ? demoSession() : Promise.resolve(null);
}

/**
 * Ends the session in this tab and on the server, which revokes the token: a copy of it (another
 * tab, a leaked log) stops working too. Also called after a 401, where the server just says 401 again.
 */
export function signOut(): void {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  sessionStorage.removeItem(STORAGE_KEY);
  if (!raw) return;
  const { token } = JSON.parse(raw) as Session;
  // keepalive: the request is sent even when the page closes right after the click.
  void fetch('/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}` }, keepalive: true }).catch(() => {});
}
