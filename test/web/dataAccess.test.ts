import type { CubeApi } from '@cubejs-client/core';
import { describe, expect, it, vi } from 'vitest';
import { readableError } from '../../web/src/data/cubeApi.js';
import type { Session } from '../../web/src/data/session.js';
import { sharedLoad } from '../../web/src/data/sharedLoad.js';
import { createTokenKeeper } from '../../web/src/data/tokenKeeper.js';

describe('readableError', () => {
  // @cubejs-client/core rejects with a RequestError: message, response (the JSON body), status.
  const requestError = (status: number, error: string) => Object.assign(new Error(error), { status, response: { error } });

  it("maps statuses to messages a person understands, keeping the server's detail", () => {
    expect(readableError(requestError(401, 'Token expired'))).toEqual({ key: 'error.auth' });
    expect(readableError(requestError(403, 'Forbidden'))).toEqual({ key: 'error.forbidden', detail: 'Forbidden' });
    expect(readableError(requestError(400, "'executive_kpis.nope' not found"))).toEqual({ key: 'error.query', detail: "'executive_kpis.nope' not found" });
    expect(readableError(requestError(500, 'Internal error'))).toEqual({ key: 'error.server', detail: 'Internal error' });
    expect(readableError(requestError(502, ''))).toMatchObject({ key: 'error.server' });
  });

  it('reads a failure without a status as the network', () => {
    expect(readableError(new TypeError('Failed to fetch'))).toEqual({ key: 'error.network', detail: 'Failed to fetch' });
    expect(readableError(undefined)).toEqual({ key: 'error.network', detail: undefined });
  });
});

describe('token keeper', () => {
  const identity = { tenant_id: '*', role: 'admin' };
  const session = (token: string, expiresAt: number): Session => ({ token, expiresAt: new Date(expiresAt).toISOString(), identity, source: 'demo' });

  it('hands out the token while it is fresh, and renews it once before it expires', async () => {
    let now = 0;
    const refresh = vi.fn(async () => session('t2', now + 15 * 60_000));
    const onRenew = vi.fn();
    const keeper = createTokenKeeper(session('t1', 15 * 60_000), { refresh, onRenew, now: () => now });
    expect(await keeper.token()).toBe('t1');
    now = 14.5 * 60_000; // less than a minute left
    const [a, b, c] = await Promise.all([keeper.token(), keeper.token(), keeper.token()]);
    expect([a, b, c]).toEqual(['t2', 't2', 't2']);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(onRenew).toHaveBeenCalledWith(expect.objectContaining({ token: 't2' }));
    expect(await keeper.token()).toBe('t2');
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('keeps the old token when renewal is impossible, fails, or comes back for another identity', async () => {
    const expired = session('old', 0);
    const now = () => 1_000;
    expect(await createTokenKeeper(expired, { refresh: async () => null, now }).token()).toBe('old');
    expect(
      await createTokenKeeper(expired, {
        refresh: async () => {
          throw new Error('offline');
        },
        now,
      }).token(),
    ).toBe('old');
    const other = { ...session('other', 10_000_000), identity: { tenant_id: 't01', role: 'admin' } };
    expect(await createTokenKeeper(expired, { refresh: async () => other, now }).token()).toBe('old');
  });
});

describe('shared loads', () => {
  // A stand-in for the Cube client that counts requests and answers when told to.
  const client = () => {
    const answers: ((value: unknown) => void)[] = [];
    const load = vi.fn(() => new Promise((resolve) => answers.push(resolve)));
    return { api: { load } as unknown as CubeApi, load, answerAll: (value: unknown) => answers.splice(0).forEach((answer) => answer(value)) };
  };

  it('sends one request for the same query asked at once, and a fresh one once it has answered', async () => {
    const { api, load, answerAll } = client();
    const key = JSON.stringify({ measures: ['executive_kpis.revenue'] });
    const first = sharedLoad(api, key, () => {});
    const second = sharedLoad(api, key, () => {});
    const other = sharedLoad(api, JSON.stringify({ measures: ['executive_kpis.orders'] }), () => {});
    expect(load).toHaveBeenCalledTimes(2);
    answerAll('answer');
    expect(await Promise.all([first, second, other])).toEqual(['answer', 'answer', 'answer']);
    void sharedLoad(api, key, () => {});
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('never shares between two clients (two sessions)', () => {
    const a = client();
    const b = client();
    const key = JSON.stringify({ measures: ['executive_kpis.revenue'] });
    void sharedLoad(a.api, key, () => {});
    void sharedLoad(b.api, key, () => {});
    expect([a.load.mock.calls.length, b.load.mock.calls.length]).toEqual([1, 1]);
  });
});
