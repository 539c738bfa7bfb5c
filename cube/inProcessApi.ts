import { randomUUID } from 'node:crypto';
import type { SecurityContext } from './auth/securityContext.js';
import type { CrmCubeCore } from './cubeCore.js';
import type { CubeQuery } from './policy/queryMembers.js';

/** A query the API refused or could not run, with the status and message /load would answer. */
export class QueryFailed extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * Cube's REST API called in-process, for the routes that run queries on a caller's behalf
 * (saved charts, embeds, extracts): the same gateway, so every policy applies exactly as for
 * /load, without an HTTP round trip or a token minted for the server itself.
 */
export class InProcessApi {
  constructor(private readonly core: CrmCubeCore) {}

  private context(securityContext: SecurityContext) {
    return { securityContext, requestId: `${randomUUID()}-in-process` };
  }

  /** A /load result; waits out Cube's "Continue wait" unless `signal` says the caller has gone. */
  async load(securityContext: SecurityContext, query: CubeQuery, signal?: AbortSignal): Promise<any> {
    for (;;) {
      let status = 200;
      let body: any;
      await this.core.gateway().load({
        query,
        context: this.context(securityContext),
        res: (message: any, options?: { status?: number }) => {
          body = message;
          status = options?.status ?? 200;
        },
      });
      if (status === 200 && body?.error === 'Continue wait') {
        if (signal?.aborted) throw new QueryFailed(499, 'The client closed the request.');
        continue;
      }
      if (status !== 200 || body?.error) throw new QueryFailed(status === 200 ? 500 : status, String(body?.error ?? `Query failed with HTTP ${status}`));
      return body;
    }
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
