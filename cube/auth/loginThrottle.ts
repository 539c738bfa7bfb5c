/**
 * Slows down password guessing: after `maxFailures` failed logins for one username (from any
 * address) or from one address (for any username) within `windowMs`, further attempts are
 * refused until the window has passed.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly maxFailures = 5, private readonly windowMs = 15 * 60_000, private readonly now = () => Date.now()) {}

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  /** Seconds to wait before trying again, or 0 when an attempt is allowed. */
  retryAfterSeconds(username: string, address: string): number {
    const blocked = [`user:${username}`, `addr:${address}`]
      .map((key) => this.recent(key))
      .filter((times) => times.length >= this.maxFailures)
      .map((times) => times[times.length - this.maxFailures] + this.windowMs - this.now());
    return blocked.length ? Math.ceil(Math.max(...blocked) / 1000) : 0;
  }

  recordFailure(username: string, address: string): void {
    for (const key of [`user:${username}`, `addr:${address}`]) this.failures.set(key, [...this.recent(key), this.now()]);
  }

  recordSuccess(username: string): void {
    this.failures.delete(`user:${username}`);
  }
}
