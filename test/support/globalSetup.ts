import { ensureSqliteBinding } from '../../cube/appdb/sqliteBinding.js';
import { buildWebAppIfStale } from '../../cube/webBuild.js';

/**
 * Builds the web app once before the test files run, so the servers they start do not each build
 * it; and better-sqlite3's native module when a fresh install left it out (cube/appdb/sqliteBinding.ts).
 */
export default async function setup(): Promise<void> {
  ensureSqliteBinding();
  await buildWebAppIfStale(() => {});
}
