import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

/** The newest /usr/lib/postgresql/<version>/bin that has initdb and pg_ctl (Debian's layout). */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const version = versions.find((v) => existsSync(path.join(root, v, 'bin', 'initdb')) && existsSync(path.join(root, v, 'bin', 'pg_ctl')));
  if (!version) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) are not installed: apt-get install -y postgresql (or set CRM_TEST_POSTGRES_URL).');
  return path.join(root, version, 'bin');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net
      .createServer()
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      })
      .on('error', reject);
  });
}

/**
 * A Postgres database for one test file: a fresh database on CRM_TEST_POSTGRES_URL's server
 * (CI starts Debian's cluster), or else a private throwaway cluster on a free loopback port.
 * `stop()` drops the database or the whole cluster.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const name = `crm_test_${randomBytes(6).toString('hex')}`;
  const serverUrl = process.env.CRM_TEST_POSTGRES_URL;
  if (serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async stop() {
        const client = new pg.Client({ connectionString: serverUrl });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  }

  const bin = postgresBin();
  const dir = mkdtempSync(path.join(tmpdir(), 'crm-pg-'));
  chmodSync(dir, 0o777);
  const asPostgres = (cmd: string, args: string[]) => {
    const root = process.getuid?.() === 0;
    return execFileSync(root ? 'runuser' : path.join(bin, cmd), root ? ['-u', 'postgres', '--', path.join(bin, cmd), ...args] : args, { stdio: 'pipe' });
  };
  const data = path.join(dir, 'data');
  const port = await freePort();
  const log = path.join(dir, 'log');
  try {
    // initdb refuses to run as root: as root, both run as the postgres OS user (runuser).
    asPostgres('initdb', ['-D', data, '--auth=trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    // Loopback only, the unix socket inside the temp dir; fsync off (a throwaway cluster).
    asPostgres('pg_ctl', ['-D', data, '-l', log, '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
    const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
  } catch (e) {
    const detail = existsSync(log) ? `\n${readFileSync(log, 'utf8').slice(-2000)}` : '';
    try {
      asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    } catch {
      // not running
    }
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Could not start a throwaway Postgres in ${dir}: ${(e as Error).message}${detail}`);
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/${name}`,
    async stop() {
      try {
        asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
