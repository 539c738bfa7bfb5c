import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS, type Migration } from './migrations.js';

export type AppDb = Database.Database;

/** `:memory:` keeps the state in this process only (tests, and servers started without a file). */
export const IN_MEMORY = ':memory:';

/**
 * Opens the application database (saved charts, embed tokens, revoked tokens, audit trail) and
 * brings its schema up to date. WAL lets several server processes read while one writes, and
 * each sees what the others committed; a writer waits up to 5 s for another's lock instead of failing.
 */
export function openAppDb(file: string, migrations: Migration[] = MIGRATIONS): AppDb {
  if (file !== IN_MEMORY) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let db: AppDb;
  try {
    db = new Database(file);
  } catch (e) {
    // A fresh install leaves the native module out (.npmrc ignore-scripts): say how to build it.
    const missing = /bindings file|NODE_MODULE_VERSION/.test((e as Error).message) ? ' Build the SQLite module with `npm run build:sqlite`.' : '';
    throw new Error(`Cannot open the application database ${file}: ${(e as Error).message.split('\n')[0]}${missing}`);
  }
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    // With WAL, NORMAL loses at most the last transactions on a power cut, never the file.
    db.pragma('synchronous = NORMAL');
    migrate(db, migrations);
  } catch (e) {
    db.close();
    throw new Error(`Cannot open the application database ${file}: ${(e as Error).message}`);
  }
  return db;
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in order, each in its own
 * transaction with its record. IMMEDIATE takes the write lock first, so two servers starting
 * together on one file cannot both apply a step: the second finds it recorded and skips it.
 */
function migrate(db: AppDb, migrations: Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = db.prepare<[number], { version: number }>('SELECT version FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    db.transaction(() => {
      if (applied.get(migration.version)) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    }).immediate();
  }
}
