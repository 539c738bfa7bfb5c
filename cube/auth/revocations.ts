import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import type { AppDb } from '../appdb/appDb.js';
import { EMBED_AUDIENCE } from '../embed/embedTokens.js';

/**
 * The id a token is revoked by: its `jti`; for a token signed before tokens had one (API tokens
 * from `npm run token` live up to 30 days), a hash of the token itself.
 */
export function tokenIdOf(token: string, claims: jwt.JwtPayload): string {
  return typeof claims.jti === 'string' && claims.jti ? claims.jti : `sha256:${createHash('sha256').update(token).digest('hex')}`;
}

/** Tokens refused before they expire (signed out, revoked embeds), shared by every server on the application database. */
export class RevokedTokens {
  private readonly find;
  private readonly insert;

  constructor(private readonly db: AppDb) {
    this.find = db.prepare<[string], { revoked_at: string }>('SELECT revoked_at FROM revoked_tokens WHERE token_id = ?');
    this.insert = db.prepare('INSERT OR IGNORE INTO revoked_tokens (token_id, expires_at, revoked_at, revoked_by) VALUES (?, ?, ?, ?)');
  }

  /** Refuses the token from now on; the record is kept until `expiresAt` (epoch seconds), after which the token is refused anyway. */
  revoke(tokenId: string, expiresAt: number, revokedBy: string | null): void {
    this.insert.run(tokenId, expiresAt, new Date().toISOString(), revokedBy);
  }

  /** When the token was revoked (ISO time), or null. */
  revokedAt(tokenId: string): string | null {
    return this.find.get(tokenId)?.revoked_at ?? null;
  }

  /** Forgets revocations of tokens that have expired; answers how many. */
  prune(now = Date.now()): number {
    return this.db.prepare('DELETE FROM revoked_tokens WHERE expires_at < ?').run(Math.floor(now / 1000)).changes;
  }
}

/**
 * Answers 401 to any request whose Authorization header carries a revoked token, before any
 * route sees it: Cube's gateway (/load, /meta, …), charts, extracts, imports and embed data
 * alike, so a route added later cannot forget the check. Only a token signed with the API
 * secret is answered here; anything else goes on to the route's own verification.
 */
export function refuseRevokedTokens(apiSecret: string, revoked: RevokedTokens) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const token = req.headers.authorization?.replace(/^Bearer\s+/i, '').trim();
    const claims = token ? jwt.decode(token) : null;
    if (!token || !claims || typeof claims !== 'object') return next();
    const revokedAt = revoked.revokedAt(tokenIdOf(token, claims));
    if (!revokedAt) return next();
    try {
      jwt.verify(token, apiSecret, { algorithms: ['HS256'], ignoreExpiration: true });
    } catch {
      return next();
    }
    const embed = claims.aud === EMBED_AUDIENCE;
    res
      .status(401)
      .set('Cache-Control', 'no-store')
      .json({ error: embed ? `This embed token was revoked at ${revokedAt}: ask the chart's owner for a new embed URL.` : `This token was revoked at ${revokedAt} (signed out): sign in again.` });
  };
}
