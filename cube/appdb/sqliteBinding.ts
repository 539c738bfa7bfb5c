import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Whether better-sqlite3's native module loads in this Node (it is loaded on the first open). */
function bindingLoads(): string | null {
  try {
    new Database(':memory:').close();
    return null;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

/**
 * Builds better-sqlite3's native module when it is missing or was built for another Node. The
 * project installs with `ignore-scripts` (.npmrc), so the package's own install step (download a
 * prebuilt binary, else compile) never runs; downloads are not possible here anyway. So it is
 * compiled from the SQLite sources the package ships, with npm's own node-gyp and this Node's
 * headers (the Debian/NodeSource package puts them under /usr/include/node): about a minute, once.
 */
export function ensureSqliteBinding(log: (line: string) => void = console.log): void {
  const problem = bindingLoads();
  if (!problem) return;
  const packageDir = path.dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json'));
  const nodeGyp = [process.env.npm_config_node_gyp, path.resolve(process.execPath, '../../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js')].find(
    (candidate): candidate is string => !!candidate && existsSync(candidate),
  );
  if (!nodeGyp) throw new Error(`better-sqlite3's native module does not load (${problem}) and npm's node-gyp was not found to build it: run \`npm rebuild better-sqlite3 --ignore-scripts=false\`.`);
  // Without local headers node-gyp downloads them, which works only where the internet is reachable.
  const nodeDir = path.resolve(process.execPath, '../..');
  const localHeaders = existsSync(path.join(nodeDir, 'include', 'node', 'node_version.h')) ? [`--nodedir=${nodeDir}`] : [];
  log(`Building better-sqlite3 (the application database) for Node ${process.versions.node}, once (about a minute): ${problem}`);
  const build = spawnSync(process.execPath, [nodeGyp, 'rebuild', '--release', '-j', 'max', ...localHeaders], { cwd: packageDir, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const after = build.status === 0 ? bindingLoads() : 'the build failed';
  if (after) throw new Error(`Could not build better-sqlite3 in ${packageDir} (${after}); it needs make, a C++ compiler and Python 3:\n${(build.stderr ?? '').split('\n').slice(-15).join('\n')}`);
  log('better-sqlite3 built.');
}
