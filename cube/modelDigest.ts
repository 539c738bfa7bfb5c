import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { walkFiles } from './fileTree.js';

/**
 * A fingerprint of the model files under `modelPath`: their paths relative to it and their
 * contents. The server answers it instead of its own folder's path, so `npm run model:check`
 * can tell whether the running server serves the folder it was asked to check without the
 * server telling anyone where its files are.
 */
export function modelDigest(modelPath: string): string {
  const hash = createHash('sha256');
  const files = walkFiles(modelPath)
    .files.filter((file) => /\.ya?ml$/.test(file))
    .map((full) => ({ full, relative: path.relative(modelPath, full).split(path.sep).join('/') }))
    .sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
  for (const { full, relative } of files) hash.update(`${relative}\0`).update(readFileSync(full)).update('\0');
  return hash.digest('hex');
}
