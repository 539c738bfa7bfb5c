import { LocalQueueDriver, LocalQueueDriverConnection } from '../cubePackages.js';
import type { Owner, QueryClients } from '../queue/queryClients.js';

export interface FairQueueOptions {
  clients: QueryClients;
  /** Warehouse queries one user may have running at once. */
  perUser: number;
  /**
   * Stops the running statement of a query nobody waits for (its queue entry's query); false
   * when none runs for it (yet), or the warehouse cannot stop one.
   */
  interrupt(query: object): boolean;
  log?: (message: string) => void;
}

/** A query in the queue: whose it is, and who is waiting for its answer right now. */
interface Entry {
  owner: Owner;
  /** Request ids blocked in Cube's wait for the answer (a request may wait twice: count). */
  waiting: Map<string, number>;
  /** The request that last asked for it or stopped waiting: the client expected back. */
  latest: string | undefined;
  /** Releases the waits of a dropped query at once, rather than at Cube's "Continue wait" timeout. */
  dropped: () => void;
  droppedSignal: Promise<null>;
}

/** How often queries are checked for a client still waiting. */
const CHECK_MS = 250;

/**
 * Cube's in-memory query queue (LocalQueueDriver), made fair and told when nobody waits:
 *
 * - Order: Cube runs queued queries first come, first served, so a light query waited behind
 *   every heavy one sent before it. Here each free slot goes to the tenant with the fewest
 *   queries running, then within it to the user with the fewest (ties: the one served longest
 *   ago), then to that user's oldest query.
 * - Caps: a user runs at most `perUser` queries at once, a tenant all slots but one, so another
 *   tenant's query always finds a slot free or the next one to free up.
 * - Waiters: a query is dropped from the queue, and its statement stopped in the warehouse, as
 *   soon as every client that asked for it has closed its connection before its answer (and no
 *   other is waiting for the same query). A client told "Continue wait" is expected back; one
 *   that never comes back is left to Cube's own `orphanedTimeout`.
 */
export class FairQueueDriver extends LocalQueueDriver {
  readonly entries = new Map<string, Entry>();
  /** Running queries dropped, whose statements are being stopped: they hold their owners' slots until then. */
  readonly stopping = new Map<string, Owner>();
  /** When a tenant or user last had a query started (a counter, not a clock): breaks ties in turn. */
  private readonly served = new Map<string, number>();
  private starts = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    options: any,
    readonly fair: FairQueueOptions,
  ) {
    super(options);
  }

  createConnection(): any {
    return new FairQueueConnection(this, this.options);
  }

  entryFor(key: string, requestId: string | undefined): Entry {
    let entry = this.entries.get(key);
    if (!entry) {
      let dropped!: () => void;
      const droppedSignal = new Promise<null>((resolve) => {
        dropped = () => resolve(null);
      });
      entry = { owner: this.fair.clients.ownerOf(requestId), waiting: new Map(), latest: requestId, dropped, droppedSignal };
      this.entries.set(key, entry);
      this.timer ??= setInterval(() => this.dropAbandoned(), CHECK_MS).unref();
    }
    return entry;
  }

  forget(key: string): void {
    this.entries.delete(key);
    if (!this.entries.size && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  ownerOf(key: string): Owner {
    return this.entries.get(key)?.owner ?? this.stopping.get(key) ?? this.fair.clients.ownerOf(undefined);
  }

  /** Whether starting `key` now keeps its user and tenant within their caps. */
  mayStart(key: string, activeKeys: string[]): boolean {
    if (activeKeys.length >= this.options.concurrency) return false;
    const owner = this.ownerOf(key);
    const running = this.runningBy(activeKeys.filter((k) => k !== key));
    return (running.get(userKey(owner)) ?? 0) < this.fair.perUser && (running.get(owner.tenant) ?? 0) < this.perTenant();
  }

  started(key: string): void {
    const owner = this.ownerOf(key);
    this.starts++;
    this.served.set(owner.tenant, this.starts);
    this.served.set(userKey(owner), this.starts);
  }

  /** The queued queries to start now, best first: as many as there are free slots, within the caps. */
  pick(activeKeys: string[], queued: [string, unknown][]): [string, unknown][] {
    const running = this.runningBy(activeKeys);
    const waiting = queued.filter(([key]) => !activeKeys.includes(key));
    const picked: [string, unknown][] = [];
    while (activeKeys.length + picked.length < this.options.concurrency) {
      let best: { item: [string, unknown]; rank: number[] } | null = null;
      for (const [i, item] of waiting.entries()) {
        const owner = this.ownerOf(item[0]);
        const [tenant, user] = [owner.tenant, userKey(owner)];
        if ((running.get(user) ?? 0) >= this.fair.perUser || (running.get(tenant) ?? 0) >= this.perTenant()) continue;
        // Cube's order (priority, then arrival) decides within one user.
        const rank = [running.get(tenant) ?? 0, running.get(user) ?? 0, this.served.get(tenant) ?? 0, this.served.get(user) ?? 0, i];
        if (!best || lessThan(rank, best.rank)) best = { item, rank };
      }
      if (!best) break;
      picked.push(best.item);
      waiting.splice(waiting.indexOf(best.item), 1);
      const owner = this.ownerOf(best.item[0]);
      for (const k of [owner.tenant, userKey(owner)]) running.set(k, (running.get(k) ?? 0) + 1);
    }
    return picked;
  }

  private perTenant(): number {
    return Math.max(1, this.options.concurrency - 1);
  }

  private runningBy(activeKeys: string[]): Map<string, number> {
    const running = new Map<string, number>();
    for (const key of activeKeys) {
      const owner = this.ownerOf(key);
      for (const k of [owner.tenant, userKey(owner)]) running.set(k, (running.get(k) ?? 0) + 1);
    }
    return running;
  }

  /** Drops every query whose clients have all left, stopping the ones running. */
  private dropAbandoned(): void {
    const { clients } = this.fair;
    for (const [key, entry] of this.entries) {
      const waitedFor = entry.waiting.size > 0 ? [...entry.waiting.keys()].some((id) => !clients.hasLeft(id)) : !clients.hasLeft(entry.latest);
      if (waitedFor) continue;
      const def = this.queryDef[key];
      if (this.active[key]) {
        // Not while the statement has not begun: it would run on unseen.
        if (!(def && this.fair.interrupt(def.query))) continue;
        // Its slot stays taken until the statement has stopped (setResultAndRemoveQuery).
        this.stopping.set(key, entry.owner);
        for (const map of [this.toProcess, this.recent, this.queryDef]) delete map[key];
      } else {
        for (const map of [this.heartBeat, this.toProcess, this.recent, this.queryDef, this.processingLocks]) delete map[key];
      }
      entry.dropped();
      this.forget(key);
      this.fair.log?.(`[queue] dropped a query of ${entry.owner.tenant}/${entry.owner.user}: its client left`);
    }
  }
}

class FairQueueConnection extends LocalQueueDriverConnection {
  private requestId: string | undefined;
  /** Queries whose processing lock this connection took (Cube makes one connection per processQuery). */
  private readonly locked = new Set<string>();

  constructor(
    private readonly fair: FairQueueDriver,
    options: any,
  ) {
    super(fair, options);
  }

  addToQueue(keyScore: number, queryKey: any, orphanedTime: number, queryHandler: string, query: any, priority: number, options: any) {
    this.requestId = options?.requestId;
    const added = super.addToQueue(keyScore, queryKey, orphanedTime, queryHandler, query, priority, options);
    this.fair.entryFor(this.redisHash(queryKey), this.requestId).latest = this.requestId;
    return added;
  }

  async getResultBlocking(queryKeyHash: any): Promise<any> {
    const entry = this.fair.entries.get(queryKeyHash);
    const id = this.requestId;
    if (!entry || id === undefined) return super.getResultBlocking(queryKeyHash);
    entry.waiting.set(id, (entry.waiting.get(id) ?? 0) + 1);
    try {
      return await Promise.race([super.getResultBlocking(queryKeyHash), entry.droppedSignal]);
    } finally {
      const left = (entry.waiting.get(id) ?? 1) - 1;
      if (left) entry.waiting.set(id, left);
      else entry.waiting.delete(id);
      entry.latest = id;
    }
  }

  async getActiveAndToProcess(): Promise<any> {
    const [active, toProcess] = await super.getActiveAndToProcess();
    return [
      active,
      this.fair.pick(
        active.map(([key]: [string]) => key),
        toProcess as [string, unknown][],
      ),
    ];
  }

  retrieveForProcessing(queryKey: any, processingId: any): any {
    const key = this.redisHash(queryKey);
    if (!this.fair.mayStart(key, Object.keys(this.active))) return null;
    const retrieved = super.retrieveForProcessing(queryKey, processingId);
    if (retrieved?.[5]) this.locked.add(key);
    if (retrieved?.[0]) this.fair.started(key);
    return retrieved;
  }

  /**
   * Frees only a lock this connection took. Cube 0.35.81's processQuery frees the lock on its
   * "skip" path whether or not it took it, by a processing id that is the query's queue id,
   * which a second processQuery of the same query shares: when the first query after start
   * asked for a total, the list and its count were each processed twice at once, the skipping
   * call freed the running one's lock, and both results were discarded ("Orphaned execution
   * result"): the request waited out the 2-minute execution timeout.
   */
  freeProcessingLock(queryKey: any, processingId: any, activated: any): any {
    if (!this.locked.delete(this.redisHash(queryKey))) return null;
    return super.freeProcessingLock(queryKey, processingId, activated);
  }

  async setResultAndRemoveQuery(queryKey: any, executionResult: any, processingId: any): Promise<boolean> {
    const key = this.redisHash(queryKey);
    if (this.processingLocks[key] === processingId && this.fair.stopping.delete(key)) {
      // A dropped query's statement has ended: its slot is free, and nobody is there to answer.
      for (const map of [this.active, this.heartBeat, this.processingLocks]) delete map[key];
      return false;
    }
    const set = await super.setResultAndRemoveQuery(queryKey, executionResult, processingId);
    if (set) this.fair.forget(this.redisHash(queryKey));
    return set;
  }

  async getQueryAndRemove(queryKey: any): Promise<any[]> {
    this.fair.forget(this.redisHash(queryKey));
    return super.getQueryAndRemove(queryKey);
  }
}

const userKey = (owner: Owner) => `${owner.tenant}\n${owner.user}`;

function lessThan(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}
