import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { openAppDb } from '../../cube/appdb/appDb.js';
import { MIGRATIONS } from '../../cube/appdb/migrations.js';
import { openAppState } from '../../cube/appdb/appState.js';
import { RevokedTokens } from '../../cube/auth/revocations.js';
import { tempDir } from '../support/duckdbFile.js';

// The application database: numbered migrations applied once each, WAL, shared by several connections.
const tmp = tempDir();
afterAll(() => tmp.remove());
const noLog = () => {};

describe('migrations', () => {
  it('run once, in order, each recorded in schema_migrations', () => {
    const file = path.join(tmp.dir, 'once.sqlite');
    const first = openAppDb(file);
    const recorded = first.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all() as { version: number; name: string; applied_at: string }[];
    expect(recorded.map((m) => [m.version, m.name])).toEqual([
      [1, 'saved charts'],
      [2, 'revoked tokens and embed tokens'],
      [3, 'audit trail'],
      [4, 'users'],
    ]);
    first.close();
    // Opened again (the next start): nothing is applied twice, the records are the same.
    const again = openAppDb(file);
    expect(again.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all()).toEqual(recorded);
    expect(again.pragma('journal_mode', { simple: true })).toBe('wal');
    again.close();
  });

  it('apply only the new step to an older database, and roll a failing step back whole', () => {
    const file = path.join(tmp.dir, 'steps.sqlite');
    openAppDb(file, MIGRATIONS.slice(0, 1)).close();
    const failing = { version: 5, name: 'broken', sql: 'CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);' };
    expect(() => openAppDb(file, [...MIGRATIONS, failing])).toThrow(/Cannot open the application database .*steps\.sqlite: no such table: nowhere/);
    const db = openAppDb(file);
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual([1, 2, 3, 4]);
    // The failed step left nothing behind: neither its table nor its record.
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
    db.close();
  });
});

describe('several connections on one file', () => {
  it('see each other’s writes at once (two servers share sign-outs)', () => {
    const file = path.join(tmp.dir, 'shared.sqlite');
    const a = openAppDb(file);
    const b = openAppDb(file);
    const expires = Math.floor(Date.now() / 1000) + 3600;
    new RevokedTokens(a).revoke('token-1', expires, 'mika');
    expect(new RevokedTokens(b).revokedAt('token-1')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(new RevokedTokens(b).revokedAt('token-2')).toBeNull();
    a.close();
    b.close();
  });
});

describe('pruning at start', () => {
  it('forgets revocations of expired tokens and audit events past retention, keeps the rest', () => {
    const file = path.join(tmp.dir, 'prune.sqlite');
    const day = 86_400_000;
    const now = Date.now();
    const state = openAppState({ file, auditRetentionDays: 30, log: noLog });
    state.revoked.revoke('expired', Math.floor((now - day) / 1000), null);
    state.revoked.revoke('live', Math.floor((now + day) / 1000), null);
    const event = { kind: 'sign_out' as const, outcome: 'ok' as const, tenant_id: 't01', user_id: 'mika', role: 'marketer', request_id: null, detail: {} };
    state.audit.record(event, now - 31 * day);
    state.audit.record(event, now - 29 * day);
    state.close();

    const logged: string[] = [];
    const next = openAppState({ file, auditRetentionDays: 30, log: (line) => logged.push(line) });
    expect(next.db.prepare('SELECT token_id FROM revoked_tokens').pluck().all()).toEqual(['live']);
    // 29 days old is kept; 31 days old is past the 30-day retention.
    expect(next.db.prepare('SELECT at FROM audit_events').pluck().all()).toEqual([now - 29 * day]);
    expect(logged).toEqual(['[app-db] pruned 1 expired revocation(s), 0 expired embed token(s), 1 audit event(s) older than 30 days.']);
    next.close();
  });
});
