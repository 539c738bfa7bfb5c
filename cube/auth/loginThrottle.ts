/** A login attempt counted before its password is checked; see LoginThrottle.reserve. */
export interface LoginAttempt {
  username: string;
  address: string;
  at: number;
}

/**
 * Slows down password guessing: after `maxAttempts` failed logins for one username (from any
 * address) or from one address (for any username) within `windowMs`, further attempts are
 * refused until the window has passed.
 *
 * An attempt is counted when it starts, before the password is hashed (`reserve`), so a burst
 * of concurrent guesses cannot all be evaluated while the first ones are still hashing: of 40
 * at once, 5 are checked and 35 refused. A correct password releases its attempt and clears
 * the username's failures (`succeeded`); a wrong one leaves it counted.
 */
export class LoginThrottle {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly maxAttempts = 5,
    private readonly windowMs = 15 * 60_000,
    private readonly now = () => Date.now(),
  ) {}

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    const kept = (this.attempts.get(key) ?? []).filter((t) => t > since);
    if (kept.length) this.attempts.set(key, kept);
    else this.attempts.delete(key);
    return kept;
  }

  private keys(username: string, address: string): string[] {
    return [`user:${username}`, `addr:${address}`];
  }

  /** Seconds to wait before trying again, or 0 when an attempt is allowed. */
  retryAfterSeconds(username: string, address: string): number {
    const blocked = this.keys(username, address)
      .map((key) => this.recent(key))
      .filter((times) => times.length >= this.maxAttempts)
      .map((times) => times[times.length - this.maxAttempts] + this.windowMs - this.now());
    return blocked.length ? Math.max(1, Math.ceil(Math.max(...blocked) / 1000)) : 0;
  }

  /**
   * Counts an attempt now, before its password is checked. Returns the attempt, or the seconds
   * to wait when the username or address has used up its attempts. Synchronous: concurrent
   * requests are counted one after the other.
   */
  reserve(username: string, address: string): { attempt: LoginAttempt } | { retryAfterSeconds: number } {
    const wait = this.retryAfterSeconds(username, address);
    if (wait > 0) return { retryAfterSeconds: wait };
    const at = this.now();
    for (const key of this.keys(username, address)) this.attempts.set(key, [...this.recent(key), at]);
    return { attempt: { username, address, at } };
  }

  /** Un-counts an attempt that was never evaluated (the server was too busy to check it). */
  release(attempt: LoginAttempt): void {
    for (const key of this.keys(attempt.username, attempt.address)) {
      const times = this.attempts.get(key) ?? [];
      const i = times.indexOf(attempt.at);
      if (i >= 0) times.splice(i, 1);
      if (!times.length) this.attempts.delete(key);
    }
  }

  /** A correct password: its attempt is released and the username's failures are forgotten. */
  succeeded(attempt: LoginAttempt): void {
    this.release(attempt);
    this.attempts.delete(`user:${attempt.username}`);
  }
}
