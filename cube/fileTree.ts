import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Every file under `dir` (recursively), with the folders it passes through. The one walker. */
export function walkFiles(dir: string): { files: string[]; folders: string[] } {
  const files: string[] = [];
  const folders: string[] = [];
  const walk = (d: string) => {
    folders.push(d);
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(dir);
  return { files, folders };
}

/** The newest modification time of `target` or anything under it (a removed file changes its folder's). */
export function newestMtime(target: string): number {
  if (!statSync(target).isDirectory()) return statSync(target).mtimeMs;
  const { files, folders } = walkFiles(target);
  return Math.max(...[...files, ...folders].map((p) => statSync(p).mtimeMs));
}
