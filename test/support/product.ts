import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../cube/paths.js';
import { TEST_SECRET } from './apiClient.js';

/**
 * The settings a product started by a test keeps in its own folder: the test secret, a users
 * file (no users unless the test wrote one there first), charts, application database, secret
 * file; no refresh timer.
 */
export function productFilesIn(dir: string): Record<string, string> {
  const users = path.join(dir, 'users.json');
  if (!existsSync(users)) writeFileSync(users, '[]');
  return {
    CUBEJS_API_SECRET: TEST_SECRET,
    CRM_USERS_FILE: users,
    CRM_CHARTS_FILE: path.join(dir, 'charts.json'),
    CRM_APP_DB: path.join(dir, 'app.sqlite'),
    CRM_SECRET_FILE: path.join(dir, 'secret'),
    CRM_REFRESH_INTERVAL_SECONDS: '0',
  };
}

export interface RunningProduct {
  /** The root URL `npm start` printed. */
  url: string;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  /** npm's exit code once npm and the server are gone (null when npm was killed by a signal). */
  exited: Promise<number | null>;
  /** Sends `signal` to npm (SIGINT and SIGKILL: to every process it started, as Ctrl-C and a hard stop do). */
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL if it has not exited within 35 s (the drain lasts at most 30 s). */
  stop(): Promise<void>;
}

/**
 * Starts the product exactly as `npm start` does: `npm start` itself, in production mode
 * (vitest's NODE_ENV=test is removed so cube/productionEnv.ts sets production), configured
 * by `env` only. Resolves with the root URL it prints.
 */
export async function startProduct(env: Record<string, string>, timeoutMs = 120_000): Promise<RunningProduct> {
  const { NODE_ENV: _vitestMode, ...inherited } = process.env;
  // Its own process group, so stopping it stops npm, sh, tsx and node together.
  const child: ChildProcess = spawn('npm', ['start', '--silent'], {
    cwd: REPO_ROOT,
    env: { ...inherited, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (d) => {
    output += d;
  });
  child.stderr!.on('data', (d) => {
    output += d;
  });
  // 'close': npm has exited and every process holding its output (the server) has too.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  // SIGTERM goes to npm, which passes it down (as `kill` or systemd would); SIGINT and SIGKILL go
  // to the whole group, as Ctrl-C in a terminal and a hard stop do.
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(s === 'SIGTERM' ? child.pid! : -child.pid!, s);
    } catch {
      // Already gone.
    }
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start printed no URL within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
      child.stdout!.on('data', () => {
        const match = output.match(/running at (http:\/\/[\d.]+:\d+)/);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited (${code}) before printing its URL:\n${output}`));
      });
    });
    return {
      url,
      output: () => output,
      exited,
      signal,
      async stop() {
        signal('SIGTERM');
        const killer = setTimeout(() => signal('SIGKILL'), 35_000);
        await exited;
        clearTimeout(killer);
      },
    };
  } catch (e) {
    signal('SIGKILL');
    throw e;
  }
}
