/**
 * The application database's schema, one numbered step at a time. A step is never edited once
 * released: a change is a new step, so every database reaches the same schema by the same path.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'saved charts',
    sql: `
      CREATE TABLE charts (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        title TEXT NOT NULL,
        chart_type TEXT NOT NULL,
        query TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX charts_by_tenant ON charts (tenant_id);
      -- One-off steps done outside migrations (the import of an older JSON file), by name.
      CREATE TABLE app_events (name TEXT PRIMARY KEY, done_at TEXT NOT NULL, detail TEXT);`,
  },
  {
    version: 2,
    name: 'revoked tokens and embed tokens',
    sql: `
      -- A token refused before it expires; kept until then (expires_at, epoch seconds), then pruned.
      CREATE TABLE revoked_tokens (
        token_id TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL,
        revoked_at TEXT NOT NULL,
        revoked_by TEXT
      );
      CREATE INDEX revoked_tokens_by_expiry ON revoked_tokens (expires_at);
      CREATE TABLE embed_tokens (
        jti TEXT PRIMARY KEY,
        chart_id TEXT NOT NULL,
        tenant_id TEXT NOT NULL,
        filters TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at TEXT,
        revoked_by TEXT
      );
      CREATE INDEX embed_tokens_by_tenant ON embed_tokens (tenant_id, expires_at);`,
  },
  {
    version: 3,
    name: 'audit trail',
    sql: `
      CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        outcome TEXT NOT NULL,
        tenant_id TEXT,
        user_id TEXT,
        role TEXT,
        request_id TEXT,
        detail TEXT NOT NULL
      );
      CREATE INDEX audit_events_by_time ON audit_events (at);
      CREATE INDEX audit_events_by_tenant ON audit_events (tenant_id, at);`,
  },
  {
    version: 4,
    name: 'users',
    sql: `
      -- Who may sign in. sessions_from (epoch seconds): sessions signed in before it are refused
      -- (set when the password, role or tenant changes); a removed user's row is deleted.
      CREATE TABLE users (
        username TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        tenant_id TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        sessions_from INTEGER NOT NULL
      );
      CREATE INDEX users_by_tenant ON users (tenant_id);`,
  },
];
