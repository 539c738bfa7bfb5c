import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { modelDigest } from '../../cube/modelDigest.js';
import { REPO_ROOT } from '../../cube/paths.js';
import { startServer, type RunningServer } from '../../cube/server.js';
import { TEST_SECRET, tokenFor } from '../support/apiClient.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { HAND_FIXTURE_SQL } from './fixture.js';

/*
 * Issue 19, item 12: GET /api/model/check ran for a tenant's admin and answered the server's
 * model folder. The model is every tenant's, so only all-tenant admins (tenant_id "*") may run
 * it, and the answer names files relative to the model folder and a fingerprint of its files,
 * never a path on the server. npm run model:check still asks the running server (which holds
 * the DuckDB file) and still tells when the server serves other files than it was asked to check.
 */
const tmp = tempDir('crm-model-route-');
const model = path.join(tmp.dir, 'served-model');
let server: RunningServer;

beforeAll(async () => {
  const warehouse = path.join(tmp.dir, 'held.duckdb');
  await createDuckDBFile(warehouse, HAND_FIXTURE_SQL);
  cpSync(path.join(REPO_ROOT, 'model'), model, { recursive: true });
  server = await startServer({ warehouse, apiSecret: TEST_SECRET, port: 0, modelPath: model, webDist: null, refreshIntervalSeconds: 0, log: () => {} });
}, 120_000);
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

const askServer = async (token?: string) => {
  const res = await fetch(`${server.url}/api/model/check`, { headers: token ? { Authorization: token } : {} });
  return { status: res.status, text: await res.text() };
};

// Run asynchronously: a synchronous child would block the test worker (and the server in it).
const modelCheckCli = (args: string[]) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'cube/modelCheckCli.ts'), ...args],
      { encoding: 'utf8', env: { ...process.env, CUBEJS_API_SECRET: TEST_SECRET, CRM_ADMIN_TOKEN: '' } },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

describe('GET /api/model/check', { timeout: 120_000 }, () => {
  it("refuses a tenant's admin (before: 200 with the server's model folder), and every other role", async () => {
    const refusal = JSON.stringify({ error: 'Only all-tenant admins (tenant_id "*") may run the model check.' });
    for (const role of ['admin', 'crm_manager', 'marketer', 'executive', 'viewer'] as const) {
      expect([role, await askServer(tokenFor({ tenant_id: 't01', role }))]).toEqual([role, { status: 403, text: refusal }]);
    }
    expect((await askServer()).status).toBe(401);
  });

  it('answers an all-tenant admin with the issues and a fingerprint of the model files, and no server path', async () => {
    const answer = await askServer(tokenFor({ tenant_id: '*', role: 'admin' }));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ modelDigest: modelDigest(model), issues: [] });
    expect(answer.text).not.toContain(tmp.dir);
    expect(answer.text).not.toContain(REPO_ROOT);
  });
});

describe('npm run model:check while the server holds the warehouse', { timeout: 240_000 }, () => {
  it('has the server check the folder it serves, and tells when it was asked about another folder', async () => {
    const ok = await modelCheckCli(['--model', model, '--warehouse', path.join(tmp.dir, 'held.duckdb'), '--server', server.url]);
    expect(ok.stdout).toContain(`The warehouse is held by the server at ${server.url}: it checked the model it serves.`);
    expect(ok.status).toBe(0);

    // A copy with one description changed: same folder layout, other files.
    const other = path.join(tmp.dir, 'other-model');
    cpSync(model, other, { recursive: true });
    const orders = path.join(other, 'cubes/sales/orders.yml');
    writeFileSync(orders, readFileSync(orders, 'utf8').replace('description: Sum of net_amount', 'description: Total of net_amount'));
    const elsewhere = await modelCheckCli(['--model', other, '--warehouse', path.join(tmp.dir, 'held.duckdb'), '--server', server.url]);
    expect(elsewhere.stderr).toContain(
      `Model check could not run: The server at ${server.url} serves model files that differ from those in ${other}: check the folder it serves (CRM_MODEL_PATH), or stop the server.`,
    );
    expect(elsewhere.status).toBe(2);
  });

  it('answers a model that does not compile without the model folder: the file is ".", the message names files inside it', async () => {
    const orders = path.join(model, 'cubes/sales/orders.yml');
    writeFileSync(orders, readFileSync(orders, 'utf8').replace('"{revenue} / NULLIF({order_count}, 0)"', '"{revenue} / NULLIF({order_total}, 0)"'));
    const answer = await askServer(tokenFor({ tenant_id: '*', role: 'admin' }));
    const { issues } = JSON.parse(answer.text);
    // Before: { file: <the server's model folder>, … }.
    expect(issues).toHaveLength(1);
    expect(issues[0].file).toBe('.');
    expect(issues[0].message).toMatch(/order_total[\s\S]*cubes\/sales\/orders\.yml/);
    expect(answer.text).not.toContain(tmp.dir);
    expect(answer.text).not.toContain(REPO_ROOT);
  });
});
