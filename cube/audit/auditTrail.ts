import { ALL_TENANTS, type SecurityContext } from '../auth/securityContext.js';
import type { AppDb } from '../appdb/appDb.js';

/**
 * What is recorded: every query answered or refused, cohort extracts sent, sign-ins (and failed
 * ones), sign-outs, imports, CSV exports, and changes to saved charts and embed tokens.
 */
export const AUDIT_KINDS = ['query', 'extract', 'sign_in', 'sign_out', 'import', 'export', 'chart.create', 'chart.delete', 'embed_token.create', 'embed_token.revoke'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export interface AuditEvent {
  kind: AuditKind;
  /** `ok`, or why not: `refused` (by a policy or a role), `failed` (wrong password, an error). */
  outcome: 'ok' | 'refused' | 'failed';
  /** The tenant the event concerns (null: none known, e.g. a failed sign-in of an unknown user). */
  tenant_id: string | null;
  /** Who: the token's subject (a user name), or the name tried at sign-in; null for tokens without one. */
  user_id: string | null;
  role: string | null;
  request_id: string | null;
  detail: Record<string, unknown>;
}

export interface RecordedEvent extends AuditEvent {
  id: number;
  at: string;
}

interface Row {
  id: number;
  at: number;
  kind: AuditKind;
  outcome: AuditEvent['outcome'];
  tenant_id: string | null;
  user_id: string | null;
  role: string | null;
  request_id: string | null;
  detail: string;
}

export interface AuditFilter {
  /** Epoch milliseconds, inclusive. */
  from?: number;
  /** Epoch milliseconds, exclusive. */
  to?: number;
  user?: string;
  /** A kind, or its family (`chart` is chart.create and chart.delete). */
  kind?: string;
  /** Events with smaller ids than this (the `next` of the previous page). */
  before?: number;
  limit: number;
}

/** The audit trail in the application database: one row per event, written with one prepared insert. */
export class AuditTrail {
  private readonly insert;

  constructor(
    private readonly db: AppDb,
    private readonly log: (message: string) => void,
  ) {
    this.insert = db.prepare('INSERT INTO audit_events (at, kind, outcome, tenant_id, user_id, role, request_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  }

  /** Writes the event; a trail that cannot be written (disk full) is logged, and the request it records goes on. */
  record(event: AuditEvent, at = Date.now()): void {
    try {
      this.insert.run(at, event.kind, event.outcome, event.tenant_id, event.user_id, event.role, event.request_id, JSON.stringify(event.detail));
    } catch (e) {
      this.log(`[audit] could not record a ${event.kind} event of ${event.user_id ?? event.role ?? 'unknown'} (request ${event.request_id}): ${(e as Error).message}`);
    }
  }

  /**
   * The events this reader may see, newest first: their tenant's (an all-tenant admin: all),
   * never those that record the reader themself. Who may read at all is the route's to decide.
   */
  readFor(reader: SecurityContext, filter: AuditFilter): { events: RecordedEvent[]; next: number | null } {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const add = (sql: string, ...values: (string | number)[]) => {
      where.push(sql);
      params.push(...values);
    };
    if (reader.tenant_id !== ALL_TENANTS) add('tenant_id = ?', reader.tenant_id);
    if (reader.sub) add('(user_id IS NULL OR user_id <> ?)', reader.sub);
    if (filter.from !== undefined) add('at >= ?', filter.from);
    if (filter.to !== undefined) add('at < ?', filter.to);
    if (filter.user !== undefined) add('user_id = ?', filter.user);
    if (filter.kind !== undefined) add('(kind = ? OR kind LIKE ?)', filter.kind, `${filter.kind}.%`);
    if (filter.before !== undefined) add('id < ?', filter.before);
    const rows = this.db
      .prepare<(string | number)[], Row>(`SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`)
      .all(...params, filter.limit + 1);
    const page = rows.slice(0, filter.limit);
    return {
      events: page.map((row) => ({ ...row, at: new Date(row.at).toISOString(), detail: JSON.parse(row.detail) })),
      next: rows.length > filter.limit ? page[page.length - 1].id : null,
    };
  }

  /** Deletes events older than the retention period; answers how many. */
  prune(retentionDays: number, now = Date.now()): number {
    return this.db.prepare('DELETE FROM audit_events WHERE at < ?').run(now - retentionDays * 86_400_000).changes;
  }
}

/** Who an identity is in the trail. */
export function actorOf(identity: SecurityContext): Pick<AuditEvent, 'tenant_id' | 'user_id' | 'role'> {
  return { tenant_id: identity.tenant_id, user_id: identity.sub ?? null, role: identity.role };
}
