import jwt from 'jsonwebtoken';
import { ALL_TENANTS, isRole, type SecurityContext } from './securityContext.js';

/** Every API token carries this audience, so tokens minted for other purposes are refused. */
export const API_AUDIENCE = 'crm-api';

/** An authentication failure with the HTTP status and the message the caller should see. */
export class TokenError extends Error {
  constructor(readonly status: 401 | 403, message: string) {
    super(message);
  }
}

export function signApiToken(secret: string, context: SecurityContext, expiresIn: string | number = '1h'): string {
  const { tenant_id, role, sub } = context;
  return jwt.sign({ tenant_id, role }, secret, {
    algorithm: 'HS256',
    audience: API_AUDIENCE,
    expiresIn: expiresIn as jwt.SignOptions['expiresIn'],
    ...(sub ? { subject: sub } : {}),
  });
}

/**
 * Verifies an HS256 token for one audience. Missing, malformed and expired tokens are 401
 * (sign in again); a bad signature or another audience is 403. `kind` names the token in messages.
 */
export function verifySignedToken(secret: string, token: string, audience: string, kind: string): jwt.JwtPayload {
  try {
    return jwt.verify(token, secret, { algorithms: ['HS256'], audience }) as jwt.JwtPayload;
  } catch (e) {
    if (e instanceof jwt.TokenExpiredError) throw new TokenError(401, `${kind} token expired at ${e.expiredAt.toISOString()}.`);
    if (e instanceof jwt.JsonWebTokenError && /malformed|jwt must be/.test(e.message)) throw new TokenError(401, `${kind} token is malformed.`);
    throw new TokenError(403, `${kind} token rejected: ${(e as Error).message}.`);
  }
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
