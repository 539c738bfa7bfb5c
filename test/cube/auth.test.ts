import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { hashPassword, MAX_CONCURRENT_HASHES, MAX_WAITING_LOGINS, passwordHashingStats } from '../../cube/auth/passwords.js';
import type { UserRecord } from '../../cube/auth/users.js';
import { startServer, type RunningServer } from '../../cube/server.js';
import { TEST_SECRET } from '../support/apiClient.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { loginFrom } from '../support/loginFrom.js';
import { EVENTS_SQL, FIXTURE_MODEL } from './fixtures.js';

// Password guessing against /auth/login in bursts: every attempt is counted before its password
// is hashed, and at most MAX_CONCURRENT_HASHES hashes run at once.
const tmp = tempDir();
let server: RunningServer;

beforeAll(async () => {
  const file = path.join(tmp.dir, 'w.duckdb');
  await createDuckDBFile(file, EVENTS_SQL);
  const users: UserRecord[] = [
    { username: 'mika', role: 'marketer', tenant_id: 't01', password_hash: await hashPassword('correct horse') },
    { username: 'ren', role: 'crm_manager', tenant_id: 't01', password_hash: await hashPassword('battery staple') },
  ];
  server = await startServer({ warehouse: file, apiSecret: TEST_SECRET, port: 0, modelPath: FIXTURE_MODEL, webDist: null, refreshIntervalSeconds: 0, users });
});
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

const login = (username: string, password: string, fromAddress = '127.0.0.1') => loginFrom(server.url, username, password, fromAddress);

const count = (statuses: number[]) => statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});

describe('a burst of password guesses', () => {
  it('evaluates 5 of 40 concurrent wrong guesses from one address, and the right password from that address is refused', async () => {
    const burst = Array.from({ length: 40 }, (_, i) => login('mika', `guess ${i}`, '127.0.0.2'));
    // The right password arrives while the burst is still being hashed (each hash takes far longer).
    await new Promise((resolve) => setTimeout(resolve, 50));
    const right = await login('mika', 'correct horse', '127.0.0.2');
    const answers = await Promise.all(burst);
    expect(count(answers.map((a) => a.status))).toEqual({ 401: 5, 429: 35 });
    expect(answers.find((a) => a.status === 429)!.body).toEqual({ error: 'Too many failed logins; try again in 15 minute(s).' });
    // The guessing address cannot try the right one either (test/cube/loginThrottle.test.ts: other addresses can).
    expect(right.status).toBe(429);
    expect(right.body.token).toBeUndefined();
  });

  it("a right password within the limit gets in and clears the username's failures", async () => {
    for (let i = 0; i < 4; i++) expect((await login('ren', `guess ${i}`, '127.0.0.4')).status).toBe(401);
    expect((await login('ren', 'battery staple', '127.0.0.5')).status).toBe(200);
    // The username's count starts again: four more wrong guesses are still evaluated.
    for (let i = 0; i < 4; i++) expect((await login('ren', `again ${i}`, '127.0.0.6')).status).toBe(401);
    expect((await login('ren', 'battery staple', '127.0.0.6')).status).toBe(200);
  });

  it(`hashes at most ${MAX_CONCURRENT_HASHES} passwords at once and answers 503 beyond ${MAX_WAITING_LOGINS} waiting`, async () => {
    // 20 logins from 20 addresses for 20 usernames: the per-user and per-address limits do not
    // apply, so only the hashing gate stands between the burst and 20 × 128 MiB of scrypt.
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login(`nobody${i}`, 'guess', `127.0.1.${i + 1}`)));
    const statuses = count(answers.map((a) => a.status));
    expect(passwordHashingStats().peak).toBe(MAX_CONCURRENT_HASHES);
    // 2 hashing + 10 waiting are evaluated (wrong password); the other 8 are turned away unhashed.
    expect(statuses).toEqual({ 401: MAX_CONCURRENT_HASHES + MAX_WAITING_LOGINS, 503: 20 - MAX_CONCURRENT_HASHES - MAX_WAITING_LOGINS });
    const busy = answers.find((a) => a.status === 503)!;
    expect(busy.body).toEqual({ error: 'Too many sign-ins at once; try again in a moment.' });
    expect(busy.retryAfter).toBe('1');
    expect(passwordHashingStats()).toMatchObject({ active: 0, queued: 0 });
  });

  it('does not count a login turned away as busy against the username', async () => {
    // Fill the gate with 12 logins of other users, then five of mika's colleague "ren" are refused as busy...
    const fill = Array.from({ length: 12 }, (_, i) => login(`filler${i}`, 'x', `127.0.2.${i + 1}`));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const busy = await Promise.all(Array.from({ length: 5 }, (_, i) => login('ren', `busy ${i}`, `127.0.3.${i + 1}`)));
    await Promise.all(fill);
    expect(busy.map((a) => a.status)).toEqual([503, 503, 503, 503, 503]);
    // ...and have used none of ren's attempts: the right password still gets in.
    expect((await login('ren', 'battery staple', '127.0.3.9')).status).toBe(200);
  });
});
