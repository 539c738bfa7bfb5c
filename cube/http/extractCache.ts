import { createHash } from 'node:crypto';

interface Entry {
  bytes: Promise<Uint8Array>;
  ready: boolean;
  size: number;
}

/**
 * Built extracts, kept while the rollups they were read from stay current: the key names those
 * rollup tables (a refresh or an import builds new ones, so a new key) and everything else the
 * bytes depend on (the SQL with its parameters, which carry the caller's tenant scope, and the
 * suppression threshold). Identical requests arriving together share one build.
 *
 * While a scope's new build runs, its last built extract is served: a scope names the same
 * request on the same data version, whose rows an hourly rollup refresh does not change (an
 * import starts a new data version, and then nothing older is served). Kept newest first
 * within a byte budget; the newest entry always stays.
 */
export class ExtractCache {
  private readonly entries = new Map<string, Entry>();
  private readonly latestOfScope = new Map<string, string>();

  constructor(private readonly maxBytes: number) {}

  static key(parts: unknown[]): string {
    return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 32);
  }

  /** The key of what `get` would answer now: this one when built, else the scope's last built one. */
  servedKey(key: string, scope: string): string {
    if (this.entries.get(key)?.ready) return key;
    const latest = this.latestOfScope.get(scope);
    return latest && this.entries.get(latest)?.ready ? latest : key;
  }

  async get(key: string, scope: string, build: () => Promise<Uint8Array>): Promise<{ key: string; bytes: Uint8Array }> {
    const served = this.servedKey(key, scope);
    const entry = this.entry(key, scope, build);
    const answer = served === key ? entry : this.entries.get(served)!;
    this.touch(served);
    return { key: served, bytes: await answer.bytes };
  }

  private entry(key: string, scope: string, build: () => Promise<Uint8Array>): Entry {
    const cached = this.entries.get(key);
    if (cached) return cached;
    const entry: Entry = { bytes: build(), ready: false, size: 0 };
    this.entries.set(key, entry);
    entry.bytes.then(
      (bytes) => {
        Object.assign(entry, { ready: true, size: bytes.byteLength });
        this.latestOfScope.set(scope, key);
        this.evict();
      },
      () => this.entries.delete(key),
    );
    return entry;
  }

  private touch(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.entries.set(key, entry);
  }

  private evict(): void {
    let total = [...this.entries.values()].reduce((sum, e) => sum + e.size, 0);
    for (const [key, entry] of this.entries) {
      if (total <= this.maxBytes || this.entries.size === 1) break;
      if (!entry.ready) continue;
      this.entries.delete(key);
      total -= entry.size;
    }
  }
}
