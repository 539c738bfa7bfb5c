/** `npm run build:sqlite`: builds better-sqlite3's native module if it does not load (see sqliteBinding.ts). */
import { ensureSqliteBinding } from './sqliteBinding.js';

try {
  ensureSqliteBinding();
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
