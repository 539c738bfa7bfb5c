import express from 'express';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRoute } from '../../cube/http/importRoute.js';
import { ImportBusy, type WarehouseImports } from '../../cube/warehouseImports.js';
import { importFile } from '../../seeds/import/importFile.js';
import { MAX_LINE_CHARS } from '../../seeds/import/textLines.js';
import { checkImportParameters } from '../../seeds/import/importParameters.js';
import { ADMIN_TOKEN, TEST_SECRET, tokenFor } from '../support/apiClient.js';
import { queryDuckDBFile, tempDir } from '../support/duckdbFile.js';

// Attacks on the import (POST /api/admin/import and the files it reads) with names that exist on
// every JavaScript object: a format "__proto__" passed the format check (`in` reads the prototype
// chain) and the import then failed inside the server, and a data value such as "constructor" in
// a lookup column (orders-csv channel; Hillstrom zip_code, channel, segment) was taken as valid
// and crashed the import (the CLI exited with a TypeError) instead of being a rejected line.
const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
const tmp = tempDir('crm-import-attacks-');
afterAll(() => tmp.remove());

describe('the import route refuses what the closed lists do not hold, before reading the body', () => {
  let url: string;
  let server: ReturnType<ReturnType<typeof express>['listen']>;
  const runs: string[] = [];
  // Stands in for the warehouse: records what would have been imported.
  const imports = {
    reserve: () => () => {},
    run: async (options: { tenant: string }, _file: string, _id: string, emit: (e: unknown) => void) => {
      runs.push(options.tenant);
      emit({ report: {} });
    },
  } as unknown as WarehouseImports;

  beforeAll(async () => {
    const app = express();
    app.post('/api/admin/import', importRoute({ apiSecret: TEST_SECRET, imports, warehouseFile: '/srv/w.duckdb', maxBytes: 1000, log: () => {} }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/admin/import`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const post = async (query: string, token: string | null, body: string | Buffer = 'customer_id,order_id,ordered_at,amount\n') => {
    const res = await fetch(`${url}?${query}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', ...(token ? { Authorization: token } : {}) },
      body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
    });
    return { status: res.status, text: await res.text() };
  };

  it('takes no prototype name for a format', async () => {
    for (const name of PROTOTYPE_NAMES) {
      expect(() => checkImportParameters({ format: name, tenant: 't01' })).toThrow(`--format must be one of online-retail, cdnow, hillstrom, orders-csv, got "${name}".`);
      const { status, text } = await post(`format=${encodeURIComponent(name)}&tenant=t01`, ADMIN_TOKEN());
      expect(status).toBe(400);
      expect(JSON.parse(text).error).toContain(`got "${name}"`);
    }
    expect(runs).toEqual([]);
  });

  it('refuses other roles, other tenants, repeated or odd parameters and oversized bodies, and imports nothing', async () => {
    const admin01 = tokenFor({ tenant_id: 't01', role: 'admin' });
    const cases: [string, string | null, number, (string | Buffer)?][] = [
      ['format=orders-csv&tenant=t01', null, 401],
      ['format=orders-csv&tenant=t01', tokenFor({ tenant_id: 't01', role: 'crm_manager' }), 403],
      ['format=orders-csv&tenant=t01', tokenFor({ tenant_id: 't01', role: 'marketer' }), 403],
      ['format=orders-csv&tenant=t02', admin01, 403],
      ['format=orders-csv&tenant=T01', admin01, 403],
      ['format=orders-csv&tenant=t01&tenant=t02', admin01, 400],
      ['format=orders-csv&tenant[x]=t01', admin01, 400],
      [`format=orders-csv&tenant=${encodeURIComponent("t01'; DROP TABLE orders;--")}`, ADMIN_TOKEN(), 400],
      [`format=orders-csv&tenant=${encodeURIComponent('../t01')}`, ADMIN_TOKEN(), 400],
      ['format=orders-csv&tenant=t01&fiscal-year-start-month=04', admin01, 400],
      [`format=orders-csv&tenant=t01&fiscal-year-start-month=${encodeURIComponent('4\n')}`, admin01, 400],
      ['format=orders-csv&tenant=t01&columns=__proto__%3Dx', admin01, 400],
      ['format=orders-csv&tenant=t01', admin01, 413, Buffer.alloc(1001, 'a')],
      ['format=orders-csv&tenant=t01', admin01, 400, ''],
    ];
    for (const [query, token, status, body] of cases) {
      const res = await post(query, token, body);
      expect({ query, status: res.status }).toEqual({ query, status });
      expect(res.text).not.toMatch(/duckdb|Error:|at \//i);
    }
    expect(runs).toEqual([]);
  });
});

describe('a data value named like an object property is a rejected line', () => {
  const importText = async (format: 'orders-csv' | 'hillstrom', text: string) => {
    const file = path.join(tmp.dir, `${format}.csv`);
    writeFileSync(file, text);
    const warehouse = path.join(tmp.dir, `${format}.duckdb`);
    const report = await importFile({ format, file, tenant: 'px', warehouse, maxRejected: { count: 10 } });
    return { report, warehouse };
  };

  it('in orders-csv channel', async () => {
    const good = Array.from({ length: 20 }, (_, i) => `M${i % 5},O${i},2025-03-${String(1 + i).padStart(2, '0')},1000,store`);
    const bad = PROTOTYPE_NAMES.map((name, i) => `M1,X${i},2025-04-01,1000,${name}`);
    const { report, warehouse } = await importText('orders-csv', ['customer_id,order_id,ordered_at,amount,channel', ...good, ...bad].join('\n') + '\n');
    expect(report.rows_imported).toBe(20);
    expect(report.reasons.map((r) => r.line)).toEqual([22, 23, 24, 25]);
    for (const [i, name] of PROTOTYPE_NAMES.entries()) expect(report.reasons[i].reason).toContain(`"${name}"`);
    expect(await queryDuckDBFile(warehouse, "SELECT DISTINCT channel FROM orders WHERE tenant_id = 'px'")).toEqual([{ channel: 'store' }]);
  });

  it('in Hillstrom zip_code, channel and segment', async () => {
    const header = 'recency,history_segment,history,mens,womens,zip_code,newbie,channel,segment,visit,conversion,spend';
    const good = Array.from({ length: 20 }, (_, i) => `${1 + (i % 12)},2) $100 - $200,${100 + i},1,0,Urban,0,Web,Mens E-Mail,0,0,0`);
    const bad = [
      '3,2) $100 - $200,150,1,0,constructor,0,Web,Mens E-Mail,0,0,0',
      '3,2) $100 - $200,150,1,0,Urban,0,toString,Mens E-Mail,0,0,0',
      '3,2) $100 - $200,150,1,0,Urban,0,Web,__proto__,0,0,0',
      '3,2) $100 - $200,150,1,0,Urban,0,Web,hasOwnProperty,0,0,0',
    ];
    const { report } = await importText('hillstrom', [header, ...good, ...bad].join('\n') + '\n');
    expect(report.rows_imported).toBe(20);
    expect(report.reasons.map((r) => r.reason.split(':')[0])).toEqual([
      expect.stringContaining('zip_code'),
      expect.stringContaining('channel'),
      expect.stringContaining('segment'),
      expect.stringContaining('segment'),
    ]);
  });
});

describe('an import file that would take the server down', () => {
  // Both ended the server's process (uncaught 'error' event of the gunzip stream; readline's
  // "RangeError: Invalid string length" on a 713 KB gzip expanding to one 700 MB line), which any
  // admin, a tenant's own included, could send to POST /api/admin/import.
  const attempt = async (name: string, bytes: Buffer) => {
    const file = path.join(tmp.dir, name);
    writeFileSync(file, bytes);
    return importFile({ format: 'orders-csv', file, tenant: 'px', warehouse: path.join(tmp.dir, `${name}.duckdb`) }).then(
      () => null,
      (e: Error) => e,
    );
  };

  it('a corrupt gzip fails the import with a message', async () => {
    const error = await attempt('corrupt.gz', Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('not deflate data '.repeat(100))]));
    expect(error?.message).toMatch(/^The file starts like a gzip file but does not decompress \(/);
  });

  it('a line longer than MAX_LINE_CHARS fails the import, compressed or not', async () => {
    const long = Buffer.from(`customer_id,order_id,ordered_at,amount\nM1,1,2024-01-01,${'9'.repeat(MAX_LINE_CHARS)}\n`);
    for (const [name, bytes] of [
      ['long.csv', long],
      ['long.csv.gz', gzipSync(long)],
    ] as const) {
      const error = await attempt(name, bytes);
      expect(error?.message).toBe('Line 2 is longer than 1,048,576 characters: is the file text in the format named?');
    }
  });

  it('still reads \\r\\n, \\r and \\n line ends, split across chunks or not', async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => `M${i % 50},O${i},2025-03-01,${1000 + i}`);
    const ends = ['\r\n', '\n', '\r'];
    const text = 'customer_id,order_id,ordered_at,amount\r\n' + lines.map((l, i) => l + ends[i % 3]).join('');
    const file = path.join(tmp.dir, 'ends.csv');
    writeFileSync(file, text);
    const report = await importFile({ format: 'orders-csv', file, tenant: 'px', warehouse: path.join(tmp.dir, 'ends.duckdb') });
    expect(report.rows_imported).toBe(30_000);
    expect(report.rows_rejected).toBe(0);
  });
});

describe('an import refused as busy', () => {
  // Before: "An import into tenant c1 is running (started 0 s ago)…" to any admin, so a tenant's
  // admin learnt another tenant's id and when it imports.
  it("names the running import's tenant only to a token that covers it", async () => {
    const busy = {
      reserve: () => {
        throw new ImportBusy('c1', 3);
      },
    } as unknown as WarehouseImports;
    const app = express();
    app.post('/api/admin/import', importRoute({ apiSecret: TEST_SECRET, imports: busy, warehouseFile: '/srv/w.duckdb', maxBytes: 1000, log: () => {} }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/admin/import`;
    const answer = async (tenant: string, token: string) => {
      const res = await fetch(`${url}?format=cdnow&tenant=${tenant}`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream', Authorization: token }, body: 'x' });
      return { status: res.status, error: (await res.json()).error };
    };
    expect(await answer('t02', tokenFor({ tenant_id: 't02', role: 'admin' }))).toEqual({ status: 409, error: 'Another import is running; imports run one at a time, try again when it has finished.' });
    expect(await answer('c1', tokenFor({ tenant_id: 'c1', role: 'admin' }))).toEqual({
      status: 409,
      error: 'An import into tenant c1 is running (started 3 s ago); imports run one at a time, try again when it has finished.',
    });
    expect(await answer('t02', ADMIN_TOKEN())).toEqual({ status: 409, error: 'An import into tenant c1 is running (started 3 s ago); imports run one at a time, try again when it has finished.' });
    await new Promise((resolve) => server.close(resolve));
  });
});
