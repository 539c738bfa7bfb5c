import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../cube/server.js';
import { generateWarehouse } from '../../seeds/generate.js';
import { IMPORT_ROUTE } from '../../seeds/import/importEvents.js';
import { TEST_SECRET, tokenFor } from '../support/apiClient.js';
import { tempDir } from '../support/duckdbFile.js';
import { TEST_WAREHOUSE } from '../support/warehouses.js';

// Issue 19, item 11: the import lock was global and taken before the upload was read, so tenant
// t01's admin trickling a 13-byte upload made t02's imports answer 409 for up to 300 s (Node's
// request limit), again and again. Now the upload is received before anything waits on the
// warehouse, a tenant's slot holds that tenant only, writes of different tenants queue, and an
// upload slower than CRM_IMPORT_RECEIVE_SECONDS (5 s here) is cut off with 408.
const RECEIVE_SECONDS = 5;
const tmp = tempDir('crm-import-lock-');
let server: RunningServer;

beforeAll(async () => {
  const file = path.join(tmp.dir, 'warehouse.duckdb');
  await generateWarehouse({ out: file, ...TEST_WAREHOUSE });
  server = await startServer({ warehouse: file, apiSecret: TEST_SECRET, port: 0, webDist: null, refreshIntervalSeconds: 0, importReceiveSeconds: RECEIVE_SECONDS });
}, 120_000);
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

const admin = (tenant: string) => tokenFor({ tenant_id: tenant, role: 'admin' });
/** Three orders of two members: small enough to import in about a second. */
const SMALL_FILE = 'customer_id,order_id,ordered_at,amount\nM1,O1,2025-03-01,1000\nM1,O2,2025-03-09,1500\nM2,O3,2025-03-02,2000\n';

async function importSmall(tenant: string): Promise<{ status: number; last: Record<string, unknown>; seconds: number }> {
  const started = performance.now();
  const res = await fetch(`${server.url}${IMPORT_ROUTE}?format=orders-csv&tenant=${tenant}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream', Authorization: admin(tenant) },
    body: SMALL_FILE,
  });
  const text = await res.text();
  return { status: res.status, last: JSON.parse(text.trim().split('\n').at(-1)!), seconds: (performance.now() - started) / 1000 };
}

/**
 * A t01 admin's import of a 13-byte file sent one byte a second, on a raw socket (as an
 * attacker would): resolves with the HTTP answer once the server has closed the connection,
 * and after how many seconds.
 */
function trickle(tenant: string): { answer: Promise<{ text: string; seconds: number }>; started: Promise<void> } {
  const { hostname, port } = new URL(server.url);
  const socket = net.connect(Number(port), hostname);
  const began = performance.now();
  let text = '';
  let timer: NodeJS.Timeout | undefined;
  const started = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.once('connect', () => {
    socket.write(
      `POST ${IMPORT_ROUTE}?format=orders-csv&tenant=${tenant} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: ${admin(tenant)}\r\n` +
        'Content-Type: application/octet-stream\r\nContent-Length: 13\r\n\r\n',
    );
    let sent = 0;
    timer = setInterval(() => {
      if (sent < 13 && !socket.destroyed) socket.write('x', () => {});
      sent++;
    }, 1000);
  });
  socket.on('data', (d) => (text += d));
  socket.on('error', () => {});
  const answer = new Promise<{ text: string; seconds: number }>((resolve) =>
    socket.once('close', () => {
      clearInterval(timer);
      resolve({ text, seconds: (performance.now() - began) / 1000 });
    }),
  );
  return { answer, started };
}

describe('an upload trickled by one tenant', { timeout: 60_000 }, () => {
  it("does not hold another tenant's import, and is cut off with 408 after the receive limit", async () => {
    const slow = trickle('t01');
    await slow.started;
    await new Promise((r) => setTimeout(r, 500));

    // Before: 409 "An import into tenant t01 is running" at once.
    const other = await importSmall('t02');
    expect(other.status).toBe(200);
    expect(other.last).toMatchObject({ report: { rows_read: 3, rows_imported: 3 } });
    console.log(`t02's import while t01's upload trickled: ${other.seconds.toFixed(2)} s`);

    // The tenant of the trickled upload has its slot taken until the upload is cut off.
    const same = await importSmall('t01');
    expect(same.status).toBe(409);
    expect(same.last.error).toMatch(/^An import into tenant t01 is running \(started \d+ s ago\)/);

    const { text, seconds } = await slow.answer;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
    expect(body.error).toMatch(
      /^The file did not arrive within 5 s \([1-9] bytes received; CRM_IMPORT_RECEIVE_SECONDS\): nothing was imported\. Send it over a faster connection, or ask the operator to raise the limit\.$/,
    );
    expect(seconds).toBeGreaterThanOrEqual(RECEIVE_SECONDS - 0.5);
    expect(seconds).toBeLessThan(RECEIVE_SECONDS + 3);

    // Cut off, the upload left its tenant's slot free.
    expect((await importSmall('t01')).status).toBe(200);
  });
});

describe('imports of two tenants at once', { timeout: 60_000 }, () => {
  it('both succeed: the second write waits for the first instead of being refused', async () => {
    const [a, b] = await Promise.all([importSmall('t01'), importSmall('t02')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.last).toMatchObject({ report: { rows_imported: 3 } });
    expect(b.last).toMatchObject({ report: { rows_imported: 3 } });
  });
});
