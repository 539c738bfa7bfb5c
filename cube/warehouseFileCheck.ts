/**
 * The DuckDB warehouse file as the file system sees it. DuckDB keeps the file it opened: deleted
 * while the server runs, queries still answer from the unlinked file and everything written
 * after (imports, rollups) is lost when the server stops; made immutable or read-only, rollup
 * builds and imports fail. Neither shows in a `SELECT 1`, so `/health` and the import route
 * ask here.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/** Why `file` (and the folder its write-ahead log goes in) cannot be written, or null. */
export function unwritable(file: string): { what: 'file' | 'folder'; code: string } | null {
  for (const [what, target] of [
    ['file', file],
    ['folder', path.dirname(path.resolve(file))],
  ] as const) {
    try {
      // Unlike the permission bits, which root ignores, the immutable flag and a read-only
      // mount make access(W_OK) fail for root as well.
      accessSync(target, constants.W_OK);
    } catch (e) {
      return { what, code: (e as NodeJS.ErrnoException).code ?? 'EACCES' };
    }
  }
  return null;
}

/** The sentence `npm start` prints when a warehouse file it was given cannot be served; null when it can. */
export function startProblem(file: string): string | null {
  try {
    statSync(file);
  } catch {
    return `the warehouse file ${file} (CRM_WAREHOUSE) does not exist. No demo data is generated for a configured warehouse: restore the file, point CRM_WAREHOUSE at your warehouse, create one with \`npm run seed -- --out ${file}\`, or unset CRM_WAREHOUSE to use the demo warehouse.`;
  }
  const denied = unwritable(file);
  if (!denied) return null;
  const where = denied.what === 'file' ? `the warehouse file ${file}` : `the folder of the warehouse file ${file}`;
  return `${where} is not writable (${denied.code}): the server writes rollups and imports into it. Make it writable (chattr -i, chmod u+w or a read-write mount) and start again.`;
}

/**
 * Remembers which file the server opened (device and inode) and tells, on each call, whether
 * that file is still the one at its path and writable. Messages name the file, not its folder:
 * `/health` answers anyone.
 */
export class WarehouseFileCheck {
  private readonly identity: { dev: number; ino: number };
  private readonly name: string;

  constructor(private readonly file: string) {
    const { dev, ino } = statSync(file);
    this.identity = { dev, ino };
    this.name = path.basename(file);
  }

  /** Null while the file can be served and written; otherwise a sentence for `/health` and import refusals. */
  problem(): string | null {
    let now;
    try {
      now = statSync(this.file);
    } catch {
      return `the warehouse file ${this.name} was deleted while the server ran: what the server writes now is lost when it stops; restore the file from a backup and restart the server`;
    }
    if (now.dev !== this.identity.dev || now.ino !== this.identity.ino) {
      return `the warehouse file ${this.name} was replaced while the server ran (the server still holds the file it opened): restart the server to serve the new one`;
    }
    const denied = unwritable(this.file);
    if (!denied) return null;
    const where = denied.what === 'file' ? `the warehouse file ${this.name}` : `the folder of the warehouse file ${this.name}`;
    return `${where} is not writable (${denied.code}): rollup builds and imports fail until it is writable again (chattr -i, chmod u+w or a read-write mount)`;
  }
}
