import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import type { UserStore } from './users.js';

/**
 * Answers 401 to a signed-in session whose user was removed, or whose role, tenant or password
 * changed after it signed in, before any route sees it (as refuseRevokedTokens does), on every
 * server sharing the application database. Only sign-in tokens carry the `session` claim: API
 * tokens from `npm run token`, embed tokens and the demo token are not user sessions and pass.
 */
export function refuseEndedSessions(apiSecret: string, users: UserStore) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const token = req.headers.authorization?.replace(/^Bearer\s+/i, '').trim();
    const claims = token ? jwt.decode(token) : null;
    if (!token || !claims || typeof claims !== 'object' || claims.session !== true || typeof claims.sub !== 'string') return next();
    try {
      jwt.verify(token, apiSecret, { algorithms: ['HS256'] });
    } catch {
      // Forged or expired: the route's own verification answers it.
      return next();
    }
    const end = users.sessionEnd({ sub: claims.sub, role: String(claims.role), tenant_id: String(claims.tenant_id) }, Number(claims.iat));
    if (!end) return next();
    res
      .status(401)
      .set('Cache-Control', 'no-store')
      .json({ error: end === 'removed' ? 'This account was removed: its sessions have ended.' : "This account's role, tenant or password changed: sign in again." });
  };
}
