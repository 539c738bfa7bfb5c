import { AuditTrail } from '../audit/auditTrail.js';
import { RevokedTokens } from '../auth/revocations.js';
import { UserStore, type UserRecord } from '../auth/users.js';
import { ChartStore } from '../embed/chartStore.js';
import { EmbedTokenRegistry } from '../embed/embedTokenRegistry.js';
import { openAppDb, type AppDb } from './appDb.js';

const DAY_MS = 86_400_000;

export interface AppStateOptions {
  /** The database file, or ':memory:'. */
  file: string;
  /** Saved charts of earlier versions (CRM_CHARTS_FILE), imported once when present. */
  chartsFile?: string;
  /** A users file (CRM_USERS_FILE): each distinct content is imported once. */
  usersFile?: string | null;
  /** Users to create or update at start (tests, embedded servers). */
  users?: UserRecord[] | null;
  /** Audit events older than this are deleted, at start and daily. */
  auditRetentionDays: number;
  log: (message: string) => void;
}

/** What the server keeps in the application database, and the daily pruning of what has expired. */
export interface AppState {
  db: AppDb;
  users: UserStore;
  charts: ChartStore;
  revoked: RevokedTokens;
  embedTokens: EmbedTokenRegistry;
  audit: AuditTrail;
  /** Deletes expired revocations and embed tokens and audit events past retention (run at start and daily). */
  prune(now?: number): void;
  close(): void;
}

export function openAppState({ file, chartsFile, usersFile, users: seedUsers, auditRetentionDays, log }: AppStateOptions): AppState {
  const db = openAppDb(file);
  const users = new UserStore(db);
  if (usersFile) {
    const changed = users.importFileOnce(usersFile);
    if (changed) log(`[app-db] imported ${changed} user(s) from ${usersFile} into ${file}; users are managed there now (npm run users), the file is read again only when it changes.`);
  }
  if (seedUsers) users.save(seedUsers);
  const charts = new ChartStore(db);
  const revoked = new RevokedTokens(db);
  const embedTokens = new EmbedTokenRegistry(db, revoked);
  const audit = new AuditTrail(db, log);
  if (chartsFile) {
    const imported = charts.importFileOnce(chartsFile);
    if (imported) log(`[app-db] imported ${imported} saved chart(s) from ${chartsFile} into ${file}; that file is no longer read.`);
  }
  const prune = (now = Date.now()) => {
    const counts = [revoked.prune(now), embedTokens.prune(now), audit.prune(auditRetentionDays, now)];
    if (counts.some((n) => n > 0)) log(`[app-db] pruned ${counts[0]} expired revocation(s), ${counts[1]} expired embed token(s), ${counts[2]} audit event(s) older than ${auditRetentionDays} days.`);
  };
  prune();
  const daily = setInterval(() => {
    try {
      prune();
    } catch (e) {
      log(`[app-db] pruning failed: ${(e as Error).message}`);
    }
  }, DAY_MS);
  daily.unref();
  return {
    db,
    users,
    charts,
    revoked,
    embedTokens,
    audit,
    prune,
    close() {
      clearInterval(daily);
      db.close();
    },
  };
}
