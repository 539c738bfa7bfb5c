import { randomUUID } from 'node:crypto';
import type { SecurityContext } from './auth/securityContext.js';
import type { CrmCubeCore } from './cubeCore.js';
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

/**
 * Cube's REST API called in-process, for the routes that run queries on a caller's behalf
 * (saved charts, embeds, extracts): the same gateway, so every policy applies exactly as for
 * /load, without an HTTP round trip or a token minted for the server itself.
 */
export class InProcessApi {
  /** `left` is told the request id of a caller that went before its answer (Cube's queue then drops its query). */
  constructor(
    private readonly core: CrmCubeCore,
    private readonly left: (requestId: string) => void = () => {},
  ) {}

  private context(securityContext: SecurityContext) {
    return { securityContext, requestId: `${randomUUID()}-in-process` };
  }

  /**
   * What /load would finally answer (`message` and HTTP `status`), asking the gateway again
   * while it says "Continue wait", unless `signal` says the caller has gone.
   */
  async answer(request: { query: unknown; queryType?: unknown; context: object }, signal?: AbortSignal): Promise<{ message: any; status: number }> {
    const requestId = (request.context as { requestId?: string }).requestId;
    if (signal && requestId) signal.addEventListener('abort', () => this.left(requestId), { once: true });
    for (;;) {
      let answer: { message: any; status: number } = { message: { error: 'No answer from the query engine.' }, status: 500 };
      await this.core.gateway().load({
        ...request,
        res: (message: any, options?: { status?: number }) => {
          answer = { message, status: options?.status ?? 200 };
        },
      });
      if (!(answer.status === 200 && answer.message?.error === 'Continue wait')) return answer;
      if (signal?.aborted) return { message: { error: 'The client closed the request.' }, status: 499 };
    }
  }

  /** A /load result for this identity; a refusal or failure throws QueryFailed with /load's status and message. */
  async load(securityContext: SecurityContext, query: CubeQuery, signal?: AbortSignal): Promise<any> {
    const { message, status } = await this.answer({ query, context: this.context(securityContext) }, signal);
    if (status !== 200 || message?.error) throw new QueryFailed(status === 200 ? 500 : status, String(message?.error ?? `Query failed with HTTP ${status}`));
    return message;
  }

  /** The SQL Cube generates for the query under these credentials (policies applied), with no row limit. */
  async sql(securityContext: SecurityContext, query: CubeQuery): Promise<{ sql: string; params: unknown[]; aliasNameToMember: Record<string, string> }> {
    const gateway = this.core.gateway();
    const context = this.context(securityContext);
    try {
      const [, [normalized]] = await gateway.getNormalizedQueries(query, context, true);
      const [sqlQuery] = await gateway.getSqlQueriesInternal(context, [normalized]);
      return { sql: sqlQuery.sql[0], params: sqlQuery.sql[1], aliasNameToMember: sqlQuery.aliasNameToMember };
    } catch (e: any) {
      throw new QueryFailed(typeof e?.status === 'number' ? e.status : e?.type === 'UserError' ? 400 : 500, String(e?.message ?? e));
    }
  }
}
