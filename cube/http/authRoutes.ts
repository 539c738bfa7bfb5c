import express, { type Router } from 'express';
import type { SecurityContext } from '../auth/securityContext.js';
import { LoginThrottle } from '../auth/loginThrottle.js';
import { signApiToken } from '../auth/tokens.js';
import type { UserStore } from '../auth/users.js';
import { isLoopbackRequest } from './loopback.js';

const SESSION_TTL_SECONDS = 8 * 60 * 60;
const DEMO_TOKEN_TTL_SECONDS = 15 * 60;

export interface AuthRoutesOptions {
  apiSecret: string;
  users: UserStore | null;
  demoIdentity: SecurityContext | null;
  throttle?: LoginThrottle;
}

function session(apiSecret: string, identity: SecurityContext, ttlSeconds: number) {
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  return { token: signApiToken(apiSecret, identity, ttlSeconds), expiresAt, identity };
}

/** `/auth/login` (users file) and `/auth/demo-token` (loopback only): both answer `{ token, expiresAt, identity }`. */
export function authRoutes({ apiSecret, users, demoIdentity, throttle = new LoginThrottle() }: AuthRoutesOptions): Router {
  const router = express.Router();
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
      if (!users) {
        res.status(503).json({ error: 'Login is not configured: set CRM_USERS_FILE to a users file.' });
        return;
      }
      const address = req.socket.remoteAddress ?? 'unknown';
      const wait = throttle.retryAfterSeconds(username, address);
      if (wait > 0) {
        res.set('Retry-After', String(wait)).status(429).json({ error: `Too many failed logins; try again in ${Math.ceil(wait / 60)} minute(s).` });
        return;
      }
      const identity = await users.authenticate(username, password);
      if (!identity) {
        throttle.recordFailure(username, address);
        res.status(401).json({ error: 'Wrong username or password.' });
        return;
      }
      throttle.recordSuccess(username);
      res.json(session(apiSecret, identity, SESSION_TTL_SECONDS));
    } catch (e) {
      next(e);
    }
  });

  router.get('/demo-token', (req, res) => {
    if (!demoIdentity || !isLoopbackRequest(req)) {
      res.status(404).json({ error: 'The demo token is only handed out to loopback clients of a local server.' });
      return;
    }
    res.json(session(apiSecret, demoIdentity, DEMO_TOKEN_TTL_SECONDS));
  });

  return router;
}
