import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { TokenError, verifySignedToken } from '../auth/tokens.js';
import type { Filter } from '../policy/queryMembers.js';

/** Embed tokens carry their own audience: the API refuses them, the embed route accepts only them. */
export const EMBED_AUDIENCE = 'crm-embed';

export interface EmbedGrant {
  chart_id: string;
  /** Always one tenant: an embed never spans tenants. */
  tenant_id: string;
  /** Filters added to the chart's query, which the page cannot remove. */
  filters: Filter[];
}

/** `jti` names the token in the list of embed tokens, and revokes it. */
export function signEmbedToken(secret: string, grant: EmbedGrant, expiresInSeconds: number, jti: string = randomUUID()): string {
  if (typeof grant.tenant_id !== 'string' || !grant.tenant_id || grant.tenant_id === '*') throw new Error('An embed token is for exactly one tenant.');
  return jwt.sign(grant, secret, { algorithm: 'HS256', audience: EMBED_AUDIENCE, expiresIn: expiresInSeconds, jwtid: jti });
}

export function verifyEmbedToken(secret: string, token: string | undefined, chartId: string): EmbedGrant {
  if (!token) throw new TokenError(401, 'Missing embed token: add ?token=… to the embed URL.');
  const claims = verifySignedToken(secret, token, EMBED_AUDIENCE, 'Embed');
  if (claims.chart_id !== chartId) throw new TokenError(403, 'This embed token is for another chart.');
  if (typeof claims.tenant_id !== 'string' || !claims.tenant_id || claims.tenant_id === '*') throw new TokenError(403, 'Embed token has no tenant.');
  return { chart_id: claims.chart_id, tenant_id: claims.tenant_id, filters: Array.isArray(claims.filters) ? claims.filters : [] };
}
