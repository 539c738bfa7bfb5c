import express, { type Router } from 'express';
import type { SecurityContext } from '../auth/securityContext.js';
import { LoginThrottle } from '../auth/loginThrottle.js';
import { HashingBusyError } from '../auth/passwords.js';
import jwt from 'jsonwebtoken';
import { tokenIdOf, type RevokedTokens } from '../auth/revocations.js';
import { signApiToken, verifyApiToken, TokenError } from '../auth/tokens.js';
import { actorOf, type AuditEvent, type AuditTrail } from '../audit/auditTrail.js';
import { requestIdOf } from './requestIds.js';
import type { UserStore } from '../auth/users.js';
import { isLoopbackRequest } from './loopback.js';

const SESSION_TTL_SECONDS = 8 * 60 * 60;
const DEMO_TOKEN_TTL_SECONDS = 15 * 60;

export interface AuthRoutesOptions {
  apiSecret: string;
  /** Who may sign in (the application database's users). */
  users: UserStore;
  demoIdentity: SecurityContext | null;
  throttle?: LoginThrottle;
  /** Where sign-outs are recorded, for every server on the application database. */
  revoked: RevokedTokens;
  audit: AuditTrail;
}

/** A token for `identity`; a user's sign-in marks it a session (ended when the user is removed or changed). */
function session(apiSecret: string, identity: SecurityContext, ttlSeconds: number, signedIn = false) {
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  return { token: signApiToken(apiSecret, { ...identity, session: signedIn }, ttlSeconds), expiresAt, identity };
}

/**
 * `/auth/login` (users file) and `/auth/demo-token` (loopback only, and only when the server was
 * given a demo identity: CRM_DEMO_TOKEN=on): both answer `{ token, expiresAt, identity }`.
 * `HEAD /auth/demo-token` says whether the demo token is offered (200) or not (404) without minting one.
 */
export function authRoutes({ apiSecret, users, demoIdentity, throttle = new LoginThrottle(), revoked, audit }: AuthRoutesOptions): Router {
  const router = express.Router();
  /** A sign-in attempt in the audit trail: the name tried (a failed one has no tenant yet). */
  const recordSignIn = (req: express.Request, username: string, outcome: AuditEvent['outcome'], identity: SecurityContext | null, detail: Record<string, unknown> = {}) =>
    audit.record({
      kind: 'sign_in',
      outcome,
      ...(identity ? actorOf(identity) : { tenant_id: null, user_id: username.slice(0, 100), role: null }),
      request_id: requestIdOf(req),
      detail: { address: req.socket.remoteAddress ?? 'unknown', ...detail },
    });
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.post('/login', async (req, res, next) => {
    try {
      const { username, password } = req.body ?? {};
      if (typeof username !== 'string' || typeof password !== 'string' || !username || !password) {
        res.status(400).json({ error: 'Send JSON { "username": "…", "password": "…" }.' });
        return;
      }
      if (!users.size) {
        res.status(503).json({ error: 'Login is not configured: no users yet (set CRM_USERS_FILE to a users file, or add one with npm run users -- add).' });
        return;
      }
      const address = req.socket.remoteAddress ?? 'unknown';
      // Counted before the password is hashed, so concurrent guesses cannot overtake the count.
      const reserved = throttle.reserve(username, address);
      if ('retryAfterSeconds' in reserved) {
        const wait = reserved.retryAfterSeconds;
        recordSignIn(req, username, 'refused', null, { reason: 'throttled' });
        res
          .set('Retry-After', String(wait))
          .status(429)
          .json({ error: `Too many failed logins; try again in ${wait < 60 ? `${wait} second(s)` : `${Math.ceil(wait / 60)} minute(s)`}.` });
        return;
      }
      let identity: SecurityContext | null;
      try {
        identity = await users.authenticate(username, password);
      } catch (e) {
        if (!(e instanceof HashingBusyError)) throw e;
        throttle.release(reserved.attempt);
        res.set('Retry-After', '1').status(503).json({ error: e.message });
        return;
      }
      if (!identity) {
        throttle.failed(reserved.attempt);
        recordSignIn(req, username, 'failed', null);
        res.status(401).json({ error: 'Wrong username or password.' });
        return;
      }
      throttle.succeeded(reserved.attempt);
      recordSignIn(req, username, 'ok', identity);
      res.json(session(apiSecret, identity, SESSION_TTL_SECONDS, true));
    } catch (e) {
      next(e);
    }
  });

  // Revokes the caller's own token for every server on the application database, until it expires.
  // A token already signed out never gets here (auth/revocations.ts answers 401).
  router.post('/logout', (req, res) => {
    let identity: SecurityContext;
    try {
      identity = verifyApiToken(apiSecret, req.headers.authorization);
    } catch (e) {
      res.status(e instanceof TokenError ? e.status : 401).json({ error: (e as Error).message });
      return;
    }
    const token = req.headers.authorization!.replace(/^Bearer\s+/i, '').trim();
    const claims = jwt.decode(token) as jwt.JwtPayload;
    revoked.revoke(tokenIdOf(token, claims), claims.exp!, identity.sub ?? identity.role);
    audit.record({ kind: 'sign_out', outcome: 'ok', ...actorOf(identity), request_id: requestIdOf(req), detail: {} });
    res.json({ signedOut: true });
  });

  const demoOffered = (req: express.Request) => demoIdentity !== null && isLoopbackRequest(req);
  const DEMO_OFF = 'The demo token is off: it is only handed out to direct loopback clients of a server started with CRM_DEMO_TOKEN=on.';
  router.head('/demo-token', (req, res) => {
    res.status(demoOffered(req) ? 200 : 404).end();
  });
  router.get('/demo-token', (req, res) => {
    if (!demoOffered(req)) {
      res.status(404).json({ error: DEMO_OFF });
      return;
    }
    res.json(session(apiSecret, demoIdentity!, DEMO_TOKEN_TTL_SECONDS));
  });

  return router;
}
