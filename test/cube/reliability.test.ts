import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { closeSync, copyFileSync, cpSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { REPO_ROOT } from '../../cube/paths.js';
import { startServer, type RunningServer } from '../../cube/server.js';
import { ADMIN_TOKEN, load, TEST_SECRET } from '../support/apiClient.js';
import { createDuckDBFile, queryDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { productFilesIn, startProduct } from '../support/product.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { EVENTS_SQL, FIXTURE_MODEL } from './fixtures.js';
import { slowCube, slowQuery } from '../support/slowCube.js';

// Faults the server meets in operation, each provoked for real: a model file broken while
// serving, the warehouse going away and coming back, a damaged DuckDB file, heavy queries
// while /health is asked, and SIGTERM with queries in flight.
const tmp = tempDir('crm-reliability-');
const warehouse = path.join(tmp.dir, 'events.duckdb');
const TOTAL = [{ 'events.total': '1350.8' }]; // 100.25 + 200 + 50.50 + 1000 + 0.05

/** A copy of the fixture model, with extra files; returns its folder. */
function modelCopy(files: Record<string, string> = {}): string {
  const dir = path.join(tmp.dir, `model-${Math.random().toString(36).slice(2)}`);
  cpSync(FIXTURE_MODEL, dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

const run = promisify(execFile);
/** Asks /health eight times, 100 ms apart, printing [status, body, milliseconds] for each. */
const HEALTH_PROBE = `(async () => {
  const out = [];
  await new Promise((r) => setTimeout(r, 300));
  for (let i = 0; i < 8; i++) {
    const t = Date.now();
    const res = await fetch(process.argv[1] + '/health');
    out.push([res.status, await res.text(), Date.now() - t]);
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log(JSON.stringify(out));
})()`;

async function health(url: string): Promise<{ status: number; body: any; ms: number }> {
  const started = Date.now();
  const res = await fetch(`${url}/health`);
  return { status: res.status, body: await res.json(), ms: Date.now() - started };
}

beforeAll(async () => {
  await createDuckDBFile(warehouse, EVENTS_SQL);
});
afterAll(() => tmp.remove());

describe('a model file broken while the server runs', () => {
  let server: RunningServer;
  let modelDir: string;
  let original: string;
  const logs: string[] = [];
  beforeAll(async () => {
    modelDir = modelCopy();
    original = readFileSync(path.join(modelDir, 'events.yml'), 'utf8');
    server = await startServer({ warehouse, apiSecret: TEST_SECRET, port: 0, modelPath: modelDir, webDist: null, refreshIntervalSeconds: 0, log: (m) => logs.push(m) });
  });
  afterAll(() => server?.close());

  it('keeps the last good model serving and names the broken file and line in the log and /health', async () => {
    expect((await load(server.url, { measures: ['events.total'] })).body.data).toEqual(TOTAL);
    // An analyst saves a typo: `total` now references a member that does not exist (line 35).
    writeFileSync(path.join(modelDir, 'events.yml'), original.replace('      - name: total\n        sql: amount', '      - name: total\n        sql: "{amount_typo} + 1"'));
    const error = 'Compile errors:\nReferenceError: amount_typo is not defined\n    in events.yml, line 35, member "total"';

    // Before: every query answered 500 until the file was fixed.
    const { status, body } = await load(server.url, { measures: ['events.total'] });
    expect(status).toBe(200);
    expect(body.data).toEqual(TOTAL);
    expect(await health(server.url)).toMatchObject({
      status: 200,
      body: { status: 'ok', warehouse: 'duckdb', warnings: [`model: the model files changed but do not compile; the previous version keeps serving: ${error}`] },
    });
    expect(await server.checkModel()).toBe(error);
    expect(logs.filter((m) => m.startsWith('[model]'))).toEqual([`[model] the model files changed but do not compile; still serving the previous version until they are fixed:\n${error}`]);

    // A YAML syntax error is named too (js-yaml's own message names no file).
    writeFileSync(path.join(modelDir, 'events.yml'), `${original}  : : [\n`);
    expect((await load(server.url, { measures: ['events.total'] })).body.data).toEqual(TOTAL);
    expect(await server.checkModel()).toBe('Compile errors:\nbad indentation of a mapping entry\n    in events.yml, line 46, column 3');

    // Fixed, with a new measure: served at once, and /health is clean again.
    writeFileSync(path.join(modelDir, 'events.yml'), original.replace('    measures:\n', '    measures:\n      - name: doubled\n        sql: "amount * 2"\n        type: sum\n'));
    expect((await load(server.url, { measures: ['events.doubled'] })).body.data).toEqual([{ 'events.doubled': '2701.6' }]);
    expect(await health(server.url)).toMatchObject({ status: 200, body: { status: 'ok', warehouse: 'duckdb' } });
    expect((await health(server.url)).body.warnings).toBeUndefined();
    expect(await server.checkModel()).toBeNull();
  });
});

describe('/health', () => {
  it('answers at once after start: the model is compiled before the port opens', async () => {
    // The product model takes seconds to compile, on the event loop. Before, the first /meta
    // compiled it and /health waited behind it.
    const server = await startServer({ warehouse, apiSecret: TEST_SECRET, port: 0, modelPath: path.join(REPO_ROOT, 'model'), webDist: null, refreshIntervalSeconds: 0 });
    try {
      // Timed from another process: this one shares the server's event loop.
      const probe = run(process.execPath, ['-e', HEALTH_PROBE, server.url]);
      const meta = fetch(`${server.url}/cubejs-api/v1/meta`, { headers: { Authorization: ADMIN_TOKEN() } });
      const answers: [number, string, number][] = JSON.parse((await probe).stdout);
      expect(answers.map(([status, body]) => [status, JSON.parse(body)])).toEqual(Array(8).fill([200, { status: 'ok', warehouse: 'duckdb' }]));
      // Before: one of them waited out the compile, 4-5 s on a 2-core machine.
      expect(Math.max(...answers.map(([, , ms]) => ms))).toBeLessThan(1000);
      expect((await meta).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('answers within its 2 s bound while long queries hold every warehouse thread', async () => {
    const server = await startServer({ warehouse, apiSecret: TEST_SECRET, port: 0, modelPath: modelCopy({ 'slow.yml': slowCube(3000) }), webDist: null, refreshIntervalSeconds: 0 });
    try {
      const running = Array.from({ length: 6 }, (_, i) => load(server.url, slowQuery(i)));
      await new Promise((r) => setTimeout(r, 500));
      const answer = await health(server.url);
      expect(answer.status).toBe(200);
      expect(answer.body.status).toBe('ok');
      expect(answer.ms).toBeLessThan(3000);
      expect((await Promise.all(running)).map((r) => r.body.data)).toEqual(Array(6).fill([{ 'slow.count': '1' }]));
    } finally {
      await server.close();
    }
  });
});

/** A TCP proxy in front of Postgres that can drop every connection and refuse new ones (Postgres "gone"), then come back on the same port. */
async function flakyProxy(target: URL): Promise<{ port: number; down(): Promise<void>; up(): Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const make = () =>
    net.createServer((client) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
  let server = make();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const down = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return {
    port,
    down,
    up: async () => {
      server = make();
      await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    },
    close: () => (server.listening ? down() : Promise.resolve()),
  };
}

describe('Postgres going away and coming back', () => {
  let postgres: TestPostgres;
  beforeAll(async () => {
    postgres = await startTestPostgres();
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    await client.query(`CREATE TABLE events (id BIGINT, tenant_id TEXT, label TEXT, happened_at TIMESTAMP, day DATE, amount NUMERIC(18,2), flag BOOLEAN, big BIGINT);
      INSERT INTO events VALUES (1, 't01', 'apple', '2024-01-15 08:30:00', '2024-01-15', 100.25, true, 1), (2, 't01', 'x', '2024-01-31 23:59:59', '2024-01-31', 200, false, 1),
        (3, 't01', 'y', '2024-02-01', '2024-02-01', 50.50, true, 1), (4, 't02', 'banana', '2024-04-10 12:00:00', '2024-04-10', 1000, NULL, 1), (5, 't02', NULL, '2025-01-01', '2025-01-01', 0.05, true, 1)`);
    await client.end();
  }, 60_000);
  afterAll(() => postgres?.stop());

  it('answers 503 without host or port while it is gone, and recovers by itself', async () => {
    const target = new URL(postgres.url);
    const proxy = await flakyProxy(target);
    const viaProxy = new URL(postgres.url);
    viaProxy.port = String(proxy.port);
    const server = await startServer({ warehouse: viaProxy.toString(), apiSecret: TEST_SECRET, port: 0, modelPath: FIXTURE_MODEL, webDist: null, refreshIntervalSeconds: 0 });
    const byTenant = (tenant: string) => ({ measures: ['events.total'], filters: [{ member: 'events.tenant_id', operator: 'equals', values: [tenant] }] });
    try {
      expect((await load(server.url, byTenant('t01'))).body.data).toEqual([{ 'events.total': '350.75' }]);
      expect(await health(server.url)).toMatchObject({ status: 200, body: { status: 'ok', warehouse: 'postgres' } });

      await proxy.down();
      // Before: 400 with "connect ECONNREFUSED 127.0.0.1:<port>".
      const gone = await load(server.url, byTenant('t02'));
      expect(gone.status).toBe(503);
      expect(gone.body.error).toMatch(/^The warehouse is not reachable right now; try again shortly \(request id [\w-]+\)\.$/);
      await new Promise((r) => setTimeout(r, 1600)); // past /health's cache
      const down = await health(server.url);
      expect(down).toMatchObject({ status: 503, body: { status: 'unavailable', warehouse: 'postgres', reasons: ['warehouse: unreachable (the server log has the details)'] } });
      for (const text of [JSON.stringify(gone.body), JSON.stringify(down.body)]) {
        expect(text).not.toContain('127.0.0.1');
        expect(text).not.toContain(String(proxy.port));
        expect(text).not.toContain(target.port);
      }

      await proxy.up();
      // No restart: the next queries reconnect.
      expect((await load(server.url, byTenant('t02'))).body.data).toEqual([{ 'events.total': '1000.05' }]);
      expect((await load(server.url, { measures: ['events.total'] })).body.data).toEqual([{ 'events.total': '1350.80' }]);
      await new Promise((r) => setTimeout(r, 1600));
      expect(await health(server.url)).toMatchObject({ status: 200, body: { status: 'ok', warehouse: 'postgres' } });
    } finally {
      await server.close();
      await proxy.close();
    }
  }, 60_000);
});

describe('the first query after start', () => {
  // Found timing npm test: a customer list asks for a total, and when that was the server's first
  // query, Cube 0.35.81's queue discarded the list's and the count's results ("Orphaned
  // execution result") and the request waited out the 2-minute execution timeout (122 s);
  // fairQueueDriver.ts frees only the processing locks a call took.
  it('is answered at once when it asks for a total, not after the 2-minute execution timeout', async () => {
    const server = await startServer({ warehouse, apiSecret: TEST_SECRET, port: 0, modelPath: FIXTURE_MODEL, webDist: null, refreshIntervalSeconds: 0 });
    try {
      const { status, body } = await load(server.url, { dimensions: ['events.label'], measures: ['events.total'], order: { 'events.label': 'asc' }, limit: 2, total: true });
      expect(status).toBe(200);
      // EVENTS_SQL: five rows, five labels (one of them NULL), sorted as DuckDB sorts text.
      expect(body.data.map((r: Record<string, string>) => r['events.label'])).toEqual(['100% cotton', "O'Brien"]);
      expect(body.total).toBe(5);
    } finally {
      await server.close();
    }
  }, 30_000);
});

describe('a damaged DuckDB file', () => {
  it('is answered with a clear error naming the file, no stack trace, and /health says so', async () => {
    const damaged = path.join(tmp.dir, 'damaged.duckdb');
    copyFileSync(warehouse, damaged);
    // Overwrite bytes in the middle of a data block of `events` (blocks are 256 KiB after a 12 KiB header).
    const segments = await queryDuckDBFile(damaged, "SELECT block_id, block_offset FROM pragma_storage_info('events') WHERE block_id >= 0 AND column_name = 'amount'");
    expect(segments.length).toBeGreaterThan(0);
    const fd = openSync(damaged, 'r+');
    for (const { block_id, block_offset } of segments) writeSync(fd, Buffer.alloc(16, 0xab), 0, 16, 12288 + Number(block_id) * 262144 + 8 + Number(block_offset));
    closeSync(fd);

    const logs: string[] = [];
    const server = await startServer({ warehouse: damaged, apiSecret: TEST_SECRET, port: 0, modelPath: FIXTURE_MODEL, webDist: null, refreshIntervalSeconds: 0, log: (m) => logs.push(m) });
    try {
      const { status, body } = await load(server.url, { measures: ['events.total'] });
      // Before: 500 "The query could not be run because of a server-side error".
      expect(status).toBe(500);
      expect(body.error).toMatch(
        /^The warehouse file damaged\.duckdb is damaged \(a data block failed its checksum check\): restore it from a backup or recreate it with `npm run seed -- --force` \(request id [\w-]+\)\.$/,
      );
      expect(JSON.stringify(body)).not.toMatch(/\bat .*\.(js|ts):\d+|stack/);
      expect(JSON.stringify(body)).not.toContain(tmp.dir); // the file, not where it lives
      expect(logs.some((m) => m.includes(damaged) && /Corrupt database file/.test(m))).toBe(true);
      expect(await health(server.url)).toMatchObject({
        status: 503,
        body: {
          status: 'unavailable',
          reasons: ['warehouse: The warehouse file damaged.duckdb is damaged (a data block failed its checksum check): restore it from a backup or recreate it with `npm run seed -- --force`.'],
        },
      });
      // The server stays up and answers what does not touch the damaged block.
      expect((await load(server.url, { measures: ['people.count'] })).status).not.toBe(500);
    } finally {
      await server.close();
    }
  });
});

// Both ways a person stops `npm start` while it answers: SIGTERM to npm (systemd, docker, kill),
// which npm passes down; Ctrl-C in a terminal, which reaches every process at once, so the
// server is signalled and its launchers leave while it drains.
describe.each([
  { stop: 'SIGTERM to npm', signal: 'SIGTERM' },
  { stop: 'Ctrl-C (SIGINT to the whole group)', signal: 'SIGINT' },
] as const)('$stop with queries in flight (npm start)', ({ signal }) => {
  it('stops taking connections, finishes all eight queries, then stops', async () => {
    const product = await startProduct(
      {
        CRM_WAREHOUSE: warehouse,
        CRM_MODEL_PATH: modelCopy({ 'slow.yml': slowCube(5500) }),
        ...productFilesIn(tmp.dir),
        CRM_WEB: 'off',
      },
      40_000,
    );
    const { url } = product;
    try {
      // Eight 5.5-second queries, four at a time: every one outlives Cube's 5 s "Continue wait",
      // and its client asks again after the signal.
      const queries = Array.from({ length: 8 }, (_, i) => load(url, slowQuery(i)));
      await new Promise((r) => setTimeout(r, 1000));
      product.signal(signal);
      // The server has the signal within a second or so; from then on a new connection is refused.
      const probe = () =>
        new Promise<string>((resolve) => {
          http
            .get(`${url}/health`, { agent: false }, (res) => {
              res.resume();
              resolve(`HTTP ${res.statusCode}`);
            })
            .on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
        });
      let refused = await probe();
      for (let i = 0; i < 30 && refused !== 'ECONNREFUSED'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        refused = await probe();
      }
      expect(refused).toBe('ECONNREFUSED');
      // Before: each got "Continue wait", then a closed port when it asked again.
      const answers = await Promise.all(
        queries.map((q) =>
          q.then(
            (r) => r,
            (e) => ({ status: 0, body: String(e.cause?.code ?? e) }),
          ),
        ),
      );
      expect(
        answers.map((a) => a.status),
        product.output() + JSON.stringify(answers),
      ).toEqual(Array(8).fill(200));
      expect(answers.map((a) => a.body.data)).toEqual(Array(8).fill([{ 'slow.count': '1' }]));
      // npm passes on the server's exit: 0 after a full drain (a crash while closing read null).
      expect(await product.exited, product.output()).toBe(0);
      // The server's own last words: it drained and returned from its shutdown.
      const lines = product.output().trimEnd().split('\n');
      const drained = lines.findIndex((l) => l.endsWith(': no new connections; finishing the requests in flight (at most 30 s)…'));
      const stopped = lines.lastIndexOf('Stopped.');
      expect(drained, product.output()).toBeGreaterThanOrEqual(0);
      // Before, on Ctrl-C: npm leaving mid-drain counted as a second signal ("exiting without
      // waiting"); the same race once cut a SIGTERM drain before 'Stopped.' in CI on d9cc633.
      expect(product.output()).not.toContain('again: exiting without waiting');
      expect(stopped, product.output()).toBeGreaterThan(drained);
      expect(lines.slice(stopped + 1), product.output()).toEqual([]);
    } finally {
      product.signal('SIGKILL');
    }
  }, 60_000);
});
