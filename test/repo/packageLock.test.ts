import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../cube/paths.js';

/**
 * `npm install` in a fresh clone leaves package-lock.json as committed (issue 20 item 9). It
 * rewrote it (+423 lines) while the lock lacked other platforms' builds of rollup and DuckDB's
 * bindings: a lock written from one machine's node_modules records only the optional packages
 * installed there, and npm adds the rest on the next install anywhere. Checked in a clone with
 * npm 11 (README, Run it): `git status` stays clean.
 */
interface LockEntry {
  version?: string;
  optionalDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { lockfileVersion: number; packages: Record<string, LockEntry> };
const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as LockEntry;

/** Where npm resolves `name` from the package at `from` (node_modules/a/node_modules/b …): the nearest node_modules up the tree. */
function resolved(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!dir) return undefined;
  }
}

describe('package-lock.json', () => {
  it("records the manifest's dependencies as package.json declares them", () => {
    const root = lock.packages[''];
    expect(lock.lockfileVersion).toBe(3);
    expect(root.dependencies).toEqual(manifest.dependencies);
    expect(root.devDependencies).toEqual(manifest.devDependencies);
  });

  it("records every optional dependency of every locked package, other platforms' builds included", () => {
    const missing = Object.entries(lock.packages).flatMap(([at, entry]) =>
      Object.keys(entry.optionalDependencies ?? {})
        .filter((name) => !resolved(at, name))
        .map((name) => `${name} (of ${at || 'the root'})`),
    );
    expect(missing).toEqual([]);
  });
});
