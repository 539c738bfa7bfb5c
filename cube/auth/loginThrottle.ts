/** A login attempt counted before its password is checked; see LoginThrottle.reserve. */
export interface LoginAttempt {
  username: string;
  address: string;
  at: number;
}

/** The limits, all counted over the same sliding window. */
export interface LoginLimits {
  /** Failures for one username from one address: the guesses one attacker gets at one account. */
  perUserAddress: number;
  /** Failures from one address, whatever the usernames: one attacker spraying a password over many accounts. */
  perAddress: number;
  /**
   * Failures for one username from every address: past this many, the account is under a
   * distributed attack, and addresses that have already failed for it must wait a delay that
   * doubles with each further failure (see retryAfterSeconds). Addresses with no failure for the
   * account are never held back by it, so the attack cannot lock its owner out.
   */
  perUser: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perUserAddress: 5, perAddress: 20, perUser: 20, windowMs: 15 * 60_000 };

/** Past this many keys, keys whose attempts have all left the window are swept (an attacker's spray cannot grow the map forever). */
const SWEEP_AT_KEYS = 10_000;

/**
 * The address an attacker cannot cheaply change: an IPv4 address as is (an IPv4-mapped IPv6
 * address is its IPv4 address), an IPv6 address by its /64 prefix, the smallest block a host is
 * given (one host can use all 2^64 addresses of it).
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!address.includes(':')) return address;
  const [head, tail = ''] = address.toLowerCase().split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups] : headGroups;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * Slows down password guessing without letting anyone lock an account's owner out:
 * - one address gets `perUserAddress` failed logins for one username per window (then 429 for
 *   that pair only: the same user from another address still gets in);
 * - one address gets `perAddress` failures over all usernames per window (then 429 for that
 *   address, which is the attacker's own);
 * - one username gets `perUser` failures from all addresses per window; past that, an address
 *   that already failed for it waits 2^(failures − perUser) seconds after the username's last
 *   failure (at most the window). An address with no failure for the username is let through.
 *
 * An attempt is counted when it starts, before the password is hashed (`reserve`), so a burst
 * of concurrent guesses cannot all be evaluated while the first ones are still hashing: of 40
 * at once from one address, 5 are checked and 35 refused. A correct password releases its
 * attempt and clears that address's failures for the username (`succeeded`); a wrong one leaves
 * it counted (`failed`).
 */
export class LoginThrottle {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
    private readonly now = () => Date.now(),
  ) {}

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowMs;
    const kept = (this.attempts.get(key) ?? []).filter((t) => t > since);
    if (kept.length) this.attempts.set(key, kept);
    else this.attempts.delete(key);
    return kept;
  }

  private keys(username: string, address: string): { pair: string; address: string; user: string } {
    // JSON keeps a username containing the separator from colliding with another pair.
    return { pair: `pair:${JSON.stringify([username, address])}`, address: `addr:${address}`, user: `user:${username}` };
  }

  /** Milliseconds until the oldest of the last `limit` attempts leaves the window, or 0 below the limit. */
  private untilBelow(times: number[], limit: number): number {
    return times.length >= limit ? times[times.length - limit] + this.limits.windowMs - this.now() : 0;
  }

  /** Seconds to wait before trying again, or 0 when an attempt is allowed. */
  retryAfterSeconds(username: string, address: string): number {
    const keys = this.keys(username, addressKey(address));
    const pair = this.recent(keys.pair);
    const user = this.recent(keys.user);
    const waits = [this.untilBelow(pair, this.limits.perUserAddress), this.untilBelow(this.recent(keys.address), this.limits.perAddress)];
    if (pair.length > 0 && user.length >= this.limits.perUser) {
      const delay = Math.min(this.limits.windowMs, 1000 * 2 ** (user.length - this.limits.perUser));
      waits.push(user[user.length - 1] + delay - this.now());
    }
    const wait = Math.max(...waits);
    return wait > 0 ? Math.max(1, Math.ceil(wait / 1000)) : 0;
  }

  /**
   * Counts an attempt now, before its password is checked. Returns the attempt, or the seconds
   * to wait when a limit is used up. Synchronous: concurrent requests are counted one after the other.
   */
  reserve(username: string, address: string): { attempt: LoginAttempt } | { retryAfterSeconds: number } {
    const wait = this.retryAfterSeconds(username, address);
    if (wait > 0) return { retryAfterSeconds: wait };
    if (this.attempts.size > SWEEP_AT_KEYS) for (const key of [...this.attempts.keys()]) this.recent(key);
    const attempt = { username, address: addressKey(address), at: this.now() };
    for (const key of Object.values(this.keys(username, attempt.address))) this.attempts.set(key, [...this.recent(key), attempt.at]);
    return { attempt };
  }

  /** Un-counts an attempt that was never evaluated (the server was too busy to check it). */
  release(attempt: LoginAttempt): void {
    for (const key of Object.values(this.keys(attempt.username, attempt.address))) {
      const times = this.attempts.get(key) ?? [];
      const i = times.indexOf(attempt.at);
      if (i >= 0) times.splice(i, 1);
      if (!times.length) this.attempts.delete(key);
    }
  }

  /**
   * A wrong password: its attempt stays counted, re-dated to now, so that the doubling delay runs
   * from when the failure was answered, not from when its (slow) hash started.
   */
  failed(attempt: LoginAttempt): void {
    const answeredAt = this.now();
    for (const key of Object.values(this.keys(attempt.username, attempt.address))) {
      const times = this.attempts.get(key) ?? [];
      const i = times.indexOf(attempt.at);
      if (i >= 0) times.splice(i, 1, answeredAt);
      times.sort((a, b) => a - b);
    }
  }

  /**
   * A correct password: its attempt is released and this address's failures for the username are
   * forgotten. The username's count over all addresses stays: a distributed attack on the account
   * goes on whether or not its owner signs in meanwhile.
   */
  succeeded(attempt: LoginAttempt): void {
    this.release(attempt);
    this.attempts.delete(this.keys(attempt.username, attempt.address).pair);
  }
}
