import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { readConfig, resolveApiSecret } from '../../cube/config.js';
import { REPO_ROOT } from '../../cube/paths.js';
import { tempDir } from '../support/duckdbFile.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('configuration from the environment', () => {
  it('defaults to port 4000 on loopback and the demo warehouse', () => {
    const config = readConfig({});
    expect(config).toMatchObject({ port: 4000, host: '127.0.0.1', refreshIntervalSeconds: 60, demoToken: false });
    expect(config.warehouse).toBe(path.join(REPO_ROOT, 'data', 'warehouse.duckdb'));
  });

  it('hands out the demo token only with CRM_DEMO_TOKEN=on', () => {
    expect(readConfig({ CRM_DEMO_TOKEN: 'on' }).demoToken).toBe(true);
    expect(readConfig({ CRM_DEMO_TOKEN: 'off' }).demoToken).toBe(false);
    expect(() => readConfig({ CRM_DEMO_TOKEN: 'yes' })).toThrow('CRM_DEMO_TOKEN must be "on" or "off", got "yes".');
  });

  it('refuses a PORT that is not a port', () => {
    expect(() => readConfig({ PORT: 'eighty' })).toThrow('PORT must be a port number, got "eighty".');
  });

  it('uses CUBEJS_API_SECRET when set', () => {
    expect(resolveApiSecret({ secretFile: path.join(tmp.dir, 'unused') }, { CUBEJS_API_SECRET: 's3cret' })).toEqual({ secret: 's3cret', source: 'CUBEJS_API_SECRET', created: false });
  });

  it('otherwise creates a private secret file once and reuses it', () => {
    const secretFile = path.join(tmp.dir, 'nested', 'api-secret');
    const first = resolveApiSecret({ secretFile }, {});
    expect(first.created).toBe(true);
    expect(first.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(resolveApiSecret({ secretFile }, {})).toEqual({ secret: first.secret, source: secretFile, created: false });
  });

  it('refuses a weak secret file', () => {
    const secretFile = path.join(tmp.dir, 'weak');
    writeFileSync(secretFile, 'short\n');
    expect(() => resolveApiSecret({ secretFile }, {})).toThrow(/shorter than 32 characters/);
  });
});

describe('npm run token', () => {
  const tokenCli = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'cube/tokenCli.ts'), ...args], {
      env: { ...process.env, CUBEJS_API_SECRET: 'cli-test-secret' },
      encoding: 'utf8',
    });

  it('prints a token for the configured secret', () => {
    const token = execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'cube/tokenCli.ts'), '--tenant', 't01', '--role', 'marketer', '--expires', '30m'], {
      env: { ...process.env, CUBEJS_API_SECRET: 'cli-test-secret' },
      encoding: 'utf8',
    }).trim();
    const claims = jwt.verify(token, 'cli-test-secret') as jwt.JwtPayload;
    expect(claims).toMatchObject({ tenant_id: 't01', role: 'marketer', aud: 'crm-api' });
    expect(claims.exp! - claims.iat!).toBe(30 * 60);
  });

  it('exits 2 with usage on bad arguments', () => {
    for (const args of [['--role', 'admin'], ['--tenant', '*', '--role', 'boss'], ['--tenant', '*', '--role', 'admin', '--expires', 'soon'], ['--bogus']]) {
      const run = tokenCli(args);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('Usage: npm run token');
    }
  });

  it('refuses lifetimes the API would refuse (over 30 days) and "*" for roles other than admin', () => {
    const tooLong = tokenCli(['--tenant', 't01', '--role', 'marketer', '--expires', '31d']);
    expect(tooLong.status).toBe(2);
    expect(tooLong.stderr).toContain('--expires must be more than 0 and at most 30d, got "31d".');
    const wide = tokenCli(['--tenant', '*', '--role', 'marketer']);
    expect(wide.status).toBe(2);
    expect(wide.stderr).toContain('Only admin tokens may have --tenant "*".');
    const month = execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'cube/tokenCli.ts'), '--tenant', 't01', '--role', 'marketer', '--expires', '30d'], {
      env: { ...process.env, CUBEJS_API_SECRET: 'cli-test-secret' },
      encoding: 'utf8',
    }).trim();
    const claims = jwt.verify(month, 'cli-test-secret') as jwt.JwtPayload;
    expect(claims.exp! - claims.iat!).toBe(30 * 86400);
  });
});
