import { CubejsHandlerError } from '../cubePackages.js';
import type { SecurityContext } from '../auth/securityContext.js';
import { AccessDenied, BadQuery, checkQueryAccess, metaForRole, needsSuppression, withSuppressionMeasures } from './accessPolicy.js';
import { nonNumericFilterValue } from './filterValues.js';
import type { MemberIndex } from './memberIndex.js';
import type { CubeQuery } from './queryMembers.js';
import { suppressSmallGroups, type Page, type QueryResult } from './suppression.js';
import { addStickyNoise } from './stickyNoise.js';
import { scopeQueryToTenant } from './tenantScope.js';

/** Cube's request context: one per API request, passed to queryRewrite and to the gateway's result hooks. */
export interface RequestContext {
  securityContext: SecurityContext;
  requestId?: string;
}

/**
 * Every policy, applied inside Cube's gateway so that each route that runs a query (load,
 * sql, dry-run, the in-process calls of charts and extracts) gets the same treatment:
 * `rewrite` checks and rewrites a query before SQL is built from it, `shapeResult`
 * suppresses small groups in its result, `visibleMeta` trims the model for the role.
 */
export interface GatewayPolicy {
  rewrite(query: CubeQuery, context: RequestContext): Promise<CubeQuery>;
  shapeResult(context: RequestContext, result: QueryResult): Promise<QueryResult>;
  visibleMeta<C extends { config: any }>(context: RequestContext, cubes: C[]): C[];
}

/** `noise`: the key of the sticky noise figures get for roles under suppression (stickyNoise.ts) and of their noisy threshold (noisyThreshold.ts). */
export function gatewayPolicy(memberIndex: () => Promise<MemberIndex>, minGroupSize: number, noise: Buffer): GatewayPolicy {
  // The count measures a query got only for suppression and the client's page, per request, keyed
  // by the rewritten measure list (Cube re-validates the rewritten query, so it cannot carry a note itself).
  const addedByRequest = new WeakMap<object, Map<string, { added: string[]; page?: Page }>>();
  const keyOf = (query: CubeQuery) => JSON.stringify(query.measures ?? []);

  return {
    async rewrite(query, context) {
      const index = await memberIndex();
      try {
        checkQueryAccess(query, context.securityContext, index);
        const nonNumeric = nonNumericFilterValue(query.filters, index);
        if (nonNumeric) throw new BadQuery(nonNumeric);
      } catch (e) {
        if (e instanceof AccessDenied) throw new CubejsHandlerError(403, 'Forbidden', e.message);
        if (e instanceof BadQuery) throw new CubejsHandlerError(400, 'Bad Request', e.message);
        throw e;
      }
      const { query: counted, added, page } = withSuppressionMeasures(query, context.securityContext, index);
      if (!addedByRequest.has(context)) addedByRequest.set(context, new Map());
      const notes = addedByRequest.get(context)!;
      // Two queries of one request with the same rewritten measures: drop a count only if neither asked for it.
      const key = keyOf(counted);
      notes.set(key, { added: notes.has(key) ? notes.get(key)!.added.filter((m) => added.includes(m)) : added, page });
      return scopeQueryToTenant(counted, context.securityContext);
    },

    async shapeResult(context, result) {
      if (!needsSuppression(context.securityContext)) return result;
      const { added, page } = addedByRequest.get(context)?.get(keyOf(result.query)) ?? { added: [] };
      const index = await memberIndex();
      // Noise after suppression, on the figures that are shown: a pair of answers must not give a hidden one exactly.
      // The rows as counted (before the counts added for suppression are dropped): a ratio's noise follows its base.
      // A page ordered by a figure is ranked by the figures as released (the same noise, drawn on every row first).
      const released = page ? addStickyNoise(result, index, noise, minGroupSize, result.data).data : undefined;
      return addStickyNoise(suppressSmallGroups(result, added, index, minGroupSize, page, noise, released), index, noise, minGroupSize, result.data);
    },

    visibleMeta(context, cubes) {
      return context?.securityContext ? metaForRole(cubes, context.securityContext) : cubes;
    },
  };
}
