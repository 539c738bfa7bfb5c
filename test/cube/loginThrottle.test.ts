import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { addressKey, DEFAULT_LOGIN_LIMITS } from '../../cube/auth/loginThrottle.js';
import { hashPassword } from '../../cube/auth/passwords.js';
import type { UserRecord } from '../../cube/auth/users.js';
import { startServer, type RunningServer } from '../../cube/server.js';
import { TEST_SECRET } from '../support/apiClient.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { loginFrom } from '../support/loginFrom.js';
import { EVENTS_SQL, FIXTURE_MODEL } from './fixtures.js';

/*
 * Issue 19, item 10: an attacker must neither guess a password nor lock its owner out. Each
 * attack runs against the server's real /auth/login from its own loopback addresses (the
 * client socket is bound to 127.x.y.z; the server counts by the socket's address). Limits:
 * 5 failures per username and address, 20 per address, 20 per username from all addresses
 * (then a doubling delay for addresses that already failed), over 15 minutes.
 */
const tmp = tempDir();
let server: RunningServer;

beforeAll(async () => {
  const file = path.join(tmp.dir, 'w.duckdb');
  await createDuckDBFile(file, EVENTS_SQL);
  const users: UserRecord[] = [
    { username: 'executive.t01', role: 'executive', tenant_id: 't01', password_hash: await hashPassword('right one') },
    { username: 'mika', role: 'marketer', tenant_id: 't01', password_hash: await hashPassword('correct horse') },
    { username: 'aoi', role: 'crm_manager', tenant_id: 't01', password_hash: await hashPassword('battery staple') },
  ];
  server = await startServer({ warehouse: file, apiSecret: TEST_SECRET, port: 0, modelPath: FIXTURE_MODEL, webDist: null, refreshIntervalSeconds: 0, users });
});
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

const login = (username: string, password: string, from: string) => loginFrom(server.url, username, password, from);

/** Sequential logins (in order, so which ones are refused is deterministic). */
async function statusesOf(attempts: [username: string, password: string, from: string][]): Promise<number[]> {
  const statuses: number[] = [];
  for (const [u, p, from] of attempts) statuses.push((await login(u, p, from)).status);
  return statuses;
}

it('uses the limits this test was written for', () => {
  expect(DEFAULT_LOGIN_LIMITS).toEqual({ perUserAddress: 5, perAddress: 20, perUser: 20, windowMs: 15 * 60_000 });
});

it('counts an IPv6 client by its /64 (a host can use all of it) and an IPv4-mapped one by its IPv4 address', () => {
  expect(addressKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
  expect(addressKey('2001:db8:1:2::ffff')).toBe('2001:db8:1:2::/64');
  expect(addressKey('2001:0db8::1')).toBe('2001:db8:0:0::/64');
  expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
  expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
});

describe('lock-out', () => {
  it("five wrong passwords from one address do not keep the account's owner out from another", async () => {
    const wrong = Array.from({ length: 6 }, (_, i): [string, string, string] => ['executive.t01', `guess ${i}`, '127.0.0.2']);
    expect(await statusesOf(wrong)).toEqual([401, 401, 401, 401, 401, 429]);
    // The attacker's address cannot try the right password either...
    expect((await login('executive.t01', 'right one', '127.0.0.2')).status).toBe(429);
    // ...but the owner, from an address with no failures, gets in (before the fix: 429).
    const owner = await login('executive.t01', 'right one', '127.0.0.3');
    expect(owner.status).toBe(200);
    expect(owner.body.identity).toMatchObject({ tenant_id: 't01', role: 'executive', sub: 'executive.t01' });
  });
});

describe('guessing', () => {
  it('one address gets 5 guesses at one username in 15 minutes', async () => {
    const wrong = Array.from({ length: 8 }, (_, i): [string, string, string] => ['mika', `guess ${i}`, '127.0.0.4']);
    expect(await statusesOf(wrong)).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const refused = await login('mika', 'correct horse', '127.0.0.4');
    expect(refused.status).toBe(429);
    // Retry-After: the oldest failure leaves the 15-minute window (900 s, less the seconds spent).
    expect(Number(refused.retryAfter)).toBeGreaterThan(850);
    expect(refused.body).toEqual({ error: 'Too many failed logins; try again in 15 minute(s).' });
  });

  it('one address gets 20 guesses spread over many usernames, and other addresses are not affected', async () => {
    const spray = Array.from({ length: 25 }, (_, i): [string, string, string] => [`staff${i}`, 'Spring2026!', '127.0.0.5']);
    expect(await statusesOf(spray)).toEqual([...Array(20).fill(401), ...Array(5).fill(429)]);
    // The sprayer's address is refused for a username it never tried...
    expect((await login('mika', 'correct horse', '127.0.0.5')).status).toBe(429);
    // ...and a user elsewhere signs in.
    expect((await login('mika', 'correct horse', '127.0.0.6')).status).toBe(200);
  });

  it('past 20 failures for one username from many addresses, an address that failed waits 1, 2, 4 s; a fresh one is let through', async () => {
    const botnet = Array.from({ length: 20 }, (_, i): [string, string, string] => ['aoi', `guess ${i}`, `127.0.4.${i + 1}`]);
    expect(await statusesOf(botnet)).toEqual(Array(20).fill(401));
    // 20 failures: an address that already failed waits 2^0 = 1 s after the username's last failure.
    const first = await login('aoi', 'another guess', '127.0.4.1');
    expect([first.status, first.retryAfter]).toEqual([429, '1']);
    // A fresh address is evaluated (21 failures); the delay doubles to 2 s.
    expect((await login('aoi', 'guess 21', '127.0.4.21')).status).toBe(401);
    const second = await login('aoi', 'another guess', '127.0.4.2');
    expect([second.status, second.retryAfter]).toEqual([429, '2']);
    // Once the delay has passed, an address that failed once is evaluated again (22 failures: 4 s).
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await login('aoi', 'guess 22', '127.0.4.3')).status).toBe(401);
    const third = await login('aoi', 'another guess', '127.0.4.4');
    expect([third.status, third.retryAfter]).toEqual([429, '4']);
    expect(third.body).toEqual({ error: 'Too many failed logins; try again in 4 second(s).' });
    // Throughout the attack, the owner from an address with no failures signs in.
    expect((await login('aoi', 'battery staple', '127.0.4.99')).status).toBe(200);
  });
});
