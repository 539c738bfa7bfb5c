import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';

/** Every API token carries this audience, so tokens minted for other purposes are refused. */
export const API_AUDIENCE = 'crm-api';

/**
 * What an API token says: the server checks the role and tenant when it verifies the token
 * (cube/auth/tokens.ts); signing needs only their text, so commands below the server mint one too.
 */
export interface TokenClaims {
  tenant_id: string;
  role: string;
  /** Who the token was minted for, for logs; never used for authorisation. */
  sub?: string;
  /** A sign-in session of the user `sub`: refused once that user is removed or changed (cube/auth/endedSessions.ts). */
  session?: boolean;
}

/** Every token gets its own id (`jti`): signing out or revoking refuses that token only (cube/auth/revocations.ts). */
export function signApiToken(secret: string, context: TokenClaims, expiresIn: string | number = '1h'): string {
  const { tenant_id, role, sub, session } = context;
  return jwt.sign({ tenant_id, role, ...(session && sub ? { session: true } : {}) }, secret, {
    algorithm: 'HS256',
    audience: API_AUDIENCE,
    jwtid: randomUUID(),
    expiresIn: expiresIn as jwt.SignOptions['expiresIn'],
    ...(sub ? { subject: sub } : {}),
  });
}
