import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

// OWASP's scrypt minimum (N=2^17, r=8, p=1); maxmem raised to fit it.
const N = 2 ** 17;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAXMEM = 256 * 1024 * 1024;

/** Password hashes computed at once (each takes 128 MiB and a core for a fraction of a second). */
export const MAX_CONCURRENT_HASHES = 2;
/** Logins that may wait for a free slot; one more is refused at once (HashingBusyError). */
export const MAX_WAITING_LOGINS = 10;

/** Raised when too many logins are waiting for a password hash: answer 503, try again shortly. */
export class HashingBusyError extends Error {
  constructor() {
    super('Too many sign-ins at once; try again in a moment.');
  }
}

/**
 * A semaphore around scrypt, so a burst of logins costs at most MAX_CONCURRENT_HASHES × 128 MiB
 * and a bounded queue. `peak` records the most hashes ever running at once (for tests and logs).
 */
class HashingGate {
  active = 0;
  peak = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly maxWaiting: number,
  ) {}

  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `work` when a slot is free; `bounded` refuses (HashingBusyError) when the queue is full. */
  async run<T>(work: () => Promise<T>, bounded: boolean): Promise<T> {
    if (this.active >= this.limit) {
      if (bounded && this.waiting.length >= this.maxWaiting) throw new HashingBusyError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    this.peak = Math.max(this.peak, this.active);
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `active` stays the same.
      if (next) next();
      else this.active--;
    }
  }
}

const gate = new HashingGate(MAX_CONCURRENT_HASHES, MAX_WAITING_LOGINS);

/** How many password hashes are running and waiting now, and the most ever run at once. */
export function passwordHashingStats(): { active: number; queued: number; peak: number } {
  return { active: gate.active, queued: gate.queued, peak: gate.peak };
}

/** `scrypt$N$r$p$salt$hash` (base64url), self-describing so parameters can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  // Not a request path (users CLI, demo users, start-up): waits as long as needed.
  const hash = await gate.run(() => scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: MAXMEM }), false);
  return ['scrypt', N, R, P, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export function isPasswordHash(text: string): boolean {
  return /^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/.test(text);
}

/** Throws HashingBusyError when MAX_WAITING_LOGINS logins are already waiting for a hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (!isPasswordHash(stored)) return false;
  const [, n, r, p, salt, hash] = stored.split('$');
  const expected = Buffer.from(hash, 'base64url');
  const actual = await gate.run(() => scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: MAXMEM }), true);
  return timingSafeEqual(actual, expected);
}
