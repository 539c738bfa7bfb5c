import { randomUUID } from 'node:crypto';
import type { SecurityContext } from './auth/securityContext.js';
import { sqlReadingRollups, type CubeEngine } from './engine/cubeEngine.js';
import type { LoadRequest, UsedRollups } from './engine/cubeCore.js';
import { isContinueWait, isUserError } from './engine/upstreamErrors.js';
import type { CubeQuery } from './policy/queryMembers.js';

/** A query the API refused or could not run, with the status and message /load would answer. */
export class QueryFailed extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A query's SQL for this identity, reading the rollups that serve it when there are any. */
export interface ReadPlan {
  /** The SQL to run: Cube's, with its rollups' current tables named. */
  sql: string;
  /** Cube's SQL before the rollup tables are named: the same on the same rows and request. */
  cubeSql: string;
  params: unknown[];
  /** The column alias Cube gave `member` (or one of its time granularities). */
  aliasOf(member: string): string;
  readsRollups: boolean;
}

/**
 * Cube's REST API called in-process, for the routes that run queries on a caller's behalf
 * (saved charts, embeds, extracts): the same gateway, so every policy applies exactly as for
 * /load, without an HTTP round trip or a token minted for the server itself.
 */
export class InProcessApi {
  /** `left` is told the request id of a caller that went before its answer (Cube's queue then drops its query). */
  constructor(
    private readonly engine: CubeEngine,
    private readonly left: (requestId: string) => void = () => {},
  ) {}

  private context(securityContext: SecurityContext) {
    return { securityContext, requestId: `${randomUUID()}-in-process` };
  }

  /**
   * What /load would finally answer (`message` and HTTP `status`), asking the gateway again
   * while it says "Continue wait", unless `signal` says the caller has gone.
   */
  async answer(request: Omit<LoadRequest, 'res'>, signal?: AbortSignal): Promise<{ message: any; status: number }> {
    const requestId = (request.context as { requestId?: string }).requestId;
    if (signal && requestId) signal.addEventListener('abort', () => this.left(requestId), { once: true });
    for (;;) {
      let answer: { message: any; status: number } = { message: { error: 'No answer from the query engine.' }, status: 500 };
      await this.engine.load({
        ...request,
        res: (message: any, options?: { status?: number }) => {
          answer = { message, status: options?.status ?? 200 };
        },
      });
      if (!(answer.status === 200 && isContinueWait(answer.message))) return answer;
      if (signal?.aborted) return { message: { error: 'The client closed the request.' }, status: 499 };
    }
  }

  /** A /load result for this identity; a refusal or failure throws QueryFailed with /load's status and message. */
  async load(securityContext: SecurityContext, query: CubeQuery, signal?: AbortSignal, rollupsUsed?: (rollups: UsedRollups) => void): Promise<any> {
    const { message, status } = await this.answer({ query, context: this.context(securityContext), rollupsUsed }, signal);
    if (status !== 200 || message?.error) throw new QueryFailed(status === 200 ? 500 : status, String(message?.error ?? `Query failed with HTTP ${status}`));
    return message;
  }

  /** The SQL Cube generates for the query under these credentials (policies applied), with no row limit. */
  private async sql(securityContext: SecurityContext, query: CubeQuery): Promise<{ sql: string; params: unknown[]; aliasNameToMember: Record<string, string> }> {
    try {
      return await this.engine.plan(this.context(securityContext), query);
    } catch (e: any) {
      throw new QueryFailed(typeof e?.status === 'number' ? e.status : isUserError(e) ? 400 : 500, String(e?.message ?? e));
    }
  }

  /**
   * The query's SQL under these credentials, reading the current tables of the rollups it
   * matches, as Cube's orchestrator would: a one-row load of the same query builds them when
   * they are missing and names them.
   */
  async readPlan(securityContext: SecurityContext, query: CubeQuery): Promise<ReadPlan> {
    const { sql, params, aliasNameToMember } = await this.sql(securityContext, query);
    let rollups: UsedRollups = {};
    await this.load(securityContext, { ...query, limit: 1 }, undefined, (used) => (rollups = used));
    const aliasOf = (member: string) => Object.keys(aliasNameToMember).find((alias) => aliasNameToMember[alias] === member || aliasNameToMember[alias].startsWith(`${member}.`))!;
    return { sql: sqlReadingRollups(sql, rollups), cubeSql: sql, params, aliasOf, readsRollups: Object.keys(rollups).length > 0 };
  }
}
