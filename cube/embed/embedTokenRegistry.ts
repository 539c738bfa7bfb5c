import { ALL_TENANTS } from '../auth/securityContext.js';
import type { AppDb } from '../appdb/appDb.js';
import type { RevokedTokens } from '../auth/revocations.js';
import type { Filter } from '../policy/queryMembers.js';

/** An embed token as its tenant's admins see it: never the token itself, which only its minter got. */
export interface EmbedTokenRecord {
  jti: string;
  chart_id: string;
  tenant_id: string;
  filters: Filter[];
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

interface Row {
  jti: string;
  chart_id: string;
  tenant_id: string;
  filters: string;
  created_by: string;
  created_at: string;
  expires_at: number;
  revoked_at: string | null;
  revoked_by: string | null;
}

const recordOf = (row: Row): EmbedTokenRecord => ({
  jti: row.jti,
  chart_id: row.chart_id,
  tenant_id: row.tenant_id,
  filters: JSON.parse(row.filters),
  createdBy: row.created_by,
  createdAt: row.created_at,
  expiresAt: new Date(row.expires_at * 1000).toISOString(),
  revokedAt: row.revoked_at,
  revokedBy: row.revoked_by,
});

/** The embed tokens minted and not yet expired: who made each, for which chart and tenant, until when; revocable. */
export class EmbedTokenRegistry {
  constructor(
    private readonly db: AppDb,
    private readonly revoked: RevokedTokens,
  ) {}

  record(token: Omit<EmbedTokenRecord, 'createdAt' | 'expiresAt' | 'revokedAt' | 'revokedBy'> & { expiresAt: number }): void {
    this.db
      .prepare('INSERT INTO embed_tokens (jti, chart_id, tenant_id, filters, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(token.jti, token.chart_id, token.tenant_id, JSON.stringify(token.filters), token.createdBy, new Date().toISOString(), token.expiresAt);
  }

  /** The unexpired tokens of this tenant (`*`: of every tenant), newest first, revoked ones included. */
  listFor(tenant_id: string, now = Date.now()): EmbedTokenRecord[] {
    const rows = this.db
      .prepare<[number, string, string, string], Row>('SELECT * FROM embed_tokens WHERE expires_at >= ? AND (? = ? OR tenant_id = ?) ORDER BY created_at DESC, jti')
      .all(Math.floor(now / 1000), tenant_id, ALL_TENANTS, tenant_id);
    return rows.map(recordOf);
  }

  /** The token, when a caller of this tenant may see it; otherwise undefined, as for an unknown id. */
  getFor(jti: string, tenant_id: string): EmbedTokenRecord | undefined {
    const row = this.db.prepare<[string], Row>('SELECT * FROM embed_tokens WHERE jti = ?').get(jti);
    return row && (tenant_id === ALL_TENANTS || row.tenant_id === tenant_id) ? recordOf(row) : undefined;
  }

  /** Revokes the token at once for every server on this database. */
  revoke(jti: string, revokedBy: string): void {
    this.db
      .transaction(() => {
        const row = this.db.prepare<[string], Row>('SELECT * FROM embed_tokens WHERE jti = ?').get(jti);
        if (!row || row.revoked_at) return;
        this.revoked.revoke(jti, row.expires_at, revokedBy);
        this.db.prepare('UPDATE embed_tokens SET revoked_at = ?, revoked_by = ? WHERE jti = ?').run(new Date().toISOString(), revokedBy, jti);
      })
      .immediate();
  }

  /** Forgets tokens that have expired; answers how many. */
  prune(now = Date.now()): number {
    return this.db.prepare('DELETE FROM embed_tokens WHERE expires_at < ?').run(Math.floor(now / 1000)).changes;
  }
}
