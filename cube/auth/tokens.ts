import jwt from 'jsonwebtoken';
import { API_AUDIENCE } from '../../lib/apiToken.js';
import { ALL_TENANTS, isRole, type SecurityContext } from './securityContext.js';

// Signing lives in lib/ (commands below the server mint tokens too); the server's code keeps
// reaching every token function through this module.
export { API_AUDIENCE, signApiToken } from '../../lib/apiToken.js';

/** An authentication failure with the HTTP status and the message the caller should see. */
export class TokenError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

/** The longest lifetime (exp - iat) any token may have: API tokens and embeds alike. */
export const MAX_TOKEN_LIFETIME_SECONDS = 30 * 24 * 3600;
/** How far in the future a token's `iat` may be (clock skew between machines). */
export const MAX_CLOCK_SKEW_SECONDS = 60;

/**
 * Verifies an HS256 token for one audience. Missing, malformed and expired tokens are 401
 * (sign in again); a bad signature or another audience is 403. `kind` names the token in messages.
 * Every token must also say when it was issued (`iat`, at most a minute ahead of this clock)
 * and when it expires (`exp`), at most MAX_TOKEN_LIFETIME_SECONDS later: a token that never
 * expires, or only in a thousand years, is refused with 403 however well it is signed.
 */
export function verifySignedToken(secret: string, token: string, audience: string, kind: string): jwt.JwtPayload {
  let claims: jwt.JwtPayload;
  try {
    claims = jwt.verify(token, secret, { algorithms: ['HS256'], audience }) as jwt.JwtPayload;
  } catch (e) {
    if (e instanceof jwt.TokenExpiredError) throw new TokenError(401, `${kind} token expired at ${e.expiredAt.toISOString()}.`);
    if (e instanceof jwt.JsonWebTokenError && /malformed|jwt must be/.test(e.message)) throw new TokenError(401, `${kind} token is malformed.`);
    throw new TokenError(403, `${kind} token rejected: ${(e as Error).message}.`);
  }
  const { exp, iat } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new TokenError(403, `${kind} token has no expiry (exp): every token must expire.`);
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new TokenError(403, `${kind} token has no issue time (iat).`);
  const now = Math.floor(Date.now() / 1000);
  if (iat > now + MAX_CLOCK_SKEW_SECONDS) throw new TokenError(403, `${kind} token was issued in the future (iat ${new Date(iat * 1000).toISOString()}).`);
  if (exp - iat > MAX_TOKEN_LIFETIME_SECONDS) {
    throw new TokenError(403, `${kind} token lives longer than ${MAX_TOKEN_LIFETIME_SECONDS / 86400} days (exp ${new Date(exp * 1000).toISOString()}).`);
  }
  return claims;
}

/** Accepts `Bearer <jwt>` or a bare JWT (what @cubejs-client/core sends). */
export function verifyApiToken(secret: string, authorization: string | undefined): SecurityContext {
  const token = authorization?.replace(/^Bearer\s+/i, '').trim();
  if (!token) throw new TokenError(401, 'Missing API token: send it in the Authorization header.');
  const claims = verifySignedToken(secret, token, API_AUDIENCE, 'API');
  if (typeof claims.tenant_id !== 'string' || claims.tenant_id === '') {
    throw new TokenError(403, 'API token has no tenant_id claim.');
  }
  if (!isRole(claims.role)) throw new TokenError(403, `API token has an unknown role: ${String(claims.role)}.`);
  if (claims.tenant_id === ALL_TENANTS && claims.role !== 'admin') throw new TokenError(403, 'Only admin tokens may span all tenants.');
  return { tenant_id: claims.tenant_id, role: claims.role, ...(claims.sub ? { sub: claims.sub } : {}) };
}

/** Parses durations like `30m`, `1h`, `7d` (what `npm run token -- --expires` accepts). */
export function isDuration(text: string): boolean {
  return /^\d+[smhd]$/.test(text);
}

/** Seconds in a duration such as `30m` or `7d` (isDuration must hold). */
export function durationSeconds(text: string): number {
  return Number(text.slice(0, -1)) * { s: 1, m: 60, h: 3600, d: 86400 }[text.slice(-1) as 's' | 'm' | 'h' | 'd'];
}
