import type { SecurityContext } from '../auth/securityContext.js';

/** Whose query it is: warehouse time is shared out by tenant, then by user. */
export interface Owner {
  tenant: string;
  user: string;
}

/** Queries the server asks for itself (rollup refresh keys, scheduled refreshes): a tenant of their own. */
export const SERVER_OWNER: Owner = { tenant: '(server)', user: '(server)' };

/** How long a request id is remembered: far longer than one request takes to reach Cube's queue. */
const KEEP_MS = 10 * 60_000;

/**
 * What Cube's queue cannot know about the requests that ask it for queries: who sent each (by
 * Cube's request id, which is our `X-Request-Id`), and which left before their answer.
 */
export class QueryClients {
  private readonly owners = new Map<string, { owner: Owner; at: number }>();
  private readonly gone = new Map<string, number>();
  private prunedAt = Date.now();

  /** Called for every query Cube's gateway plans (its queryRewrite), before it reaches the queue. */
  identify(requestId: string, context: SecurityContext): void {
    // A token without a subject stands for everyone of its tenant and role: they share one share.
    this.owners.set(requestId, { owner: { tenant: context.tenant_id, user: context.sub ?? `(${context.role})` }, at: Date.now() });
    this.prune();
  }

  ownerOf(requestId: string | undefined): Owner {
    return (requestId && this.owners.get(requestId)?.owner) || SERVER_OWNER;
  }

  /** The client of `requestId` closed its connection before it was answered: nobody reads that answer. */
  left(requestId: string): void {
    this.gone.set(requestId, Date.now());
    this.prune();
  }

  hasLeft(requestId: string | undefined): boolean {
    return requestId !== undefined && this.gone.has(requestId);
  }

  private prune(): void {
    const now = Date.now();
    if (now - this.prunedAt < 10_000) return;
    this.prunedAt = now;
    for (const [id, { at }] of this.owners) if (now - at > KEEP_MS) this.owners.delete(id);
    for (const [id, at] of this.gone) if (now - at > KEEP_MS) this.gone.delete(id);
  }
}
