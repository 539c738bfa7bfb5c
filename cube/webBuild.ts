import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { newestMtime } from './fileTree.js';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

export const WEB_DIST = path.join(REPO_ROOT, 'dist', 'web');
const WEB_SOURCES = ['web', 'vite.config.ts', 'tailwind.config.ts', 'postcss.config.js'];

/** True when dist/web is missing or older than any web source file. */
export function webBuildIsStale(): boolean {
  const index = path.join(WEB_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const sources = WEB_SOURCES.map((p) => path.join(REPO_ROOT, p)).filter(existsSync);
  return Math.max(...sources.map(newestMtime)) > statSync(index).mtimeMs;
}

/**
 * Builds the web app with Vite when it is stale; returns whether it built. The build goes to
 * a folder of its own and replaces dist/web by renaming, so a server already serving dist/web
 * never sees a half-written (or emptied) folder.
 */
export async function buildWebAppIfStale(log: (message: string) => void = console.log): Promise<boolean> {
  if (!webBuildIsStale()) return false;
  log('Building the web app…');
  const { build } = await import('vite');
  const fresh = `${WEB_DIST}-build-${process.pid}`;
  const old = `${WEB_DIST}-old-${process.pid}`;
  await build({ configFile: path.join(REPO_ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir: fresh, emptyOutDir: true } });
  if (existsSync(WEB_DIST)) renameSync(WEB_DIST, old);
  renameSync(fresh, WEB_DIST);
  rmSync(old, { recursive: true, force: true });
  return true;
}
