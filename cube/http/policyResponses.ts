import type { NextFunction, Request, Response } from 'express';
import type { SecurityContext } from '../auth/securityContext.js';
import { metaForRole, needsSuppression, suppressSmallGroups, type LoadResult } from '../policy/accessPolicy.js';
import type { MemberIndex } from '../policy/memberIndex.js';
import type { CubeQuery } from '../policy/queryMembers.js';

type JsonTransform = (body: any, req: Request, context: SecurityContext) => Promise<any>;

/** Passes successful JSON bodies of a route through `transform`, once the token's context is known. */
function transformJson(transform: JsonTransform) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const json = res.json.bind(res);
    res.json = (body?: any) => {
      const context = (req as any).securityContext as SecurityContext | undefined;
      if (!context || !body || typeof body !== 'object' || 'error' in body) return json(body);
      transform(body, req, context).then(json, next);
      return res;
    };
    next();
  };
}

function requestedQuery(req: Request): CubeQuery | CubeQuery[] {
  const raw = req.method === 'GET' ? req.query.query : req.body?.query;
  return typeof raw === 'string' ? JSON.parse(raw) : raw;
}

/** Small-group suppression on /load results for roles without personal data. */
export function suppressLoadResults(memberIndex: () => Promise<MemberIndex>, minGroupSize: number) {
  return transformJson(async (body, req, context) => {
    if (!needsSuppression(context)) return body;
    const index = await memberIndex();
    const requested = requestedQuery(req);
    if (Array.isArray(body.results)) {
      const queries = Array.isArray(requested) ? requested : [requested];
      return { ...body, results: body.results.map((r: LoadResult, i: number) => suppressSmallGroups(r, queries[i] ?? queries[0], index, minGroupSize)) };
    }
    return suppressSmallGroups(body, requested as CubeQuery, index, minGroupSize);
  });
}

/** /meta without the members and views the role may not see. */
export const metaForToken = transformJson(async (body, _req, context) =>
  Array.isArray(body.cubes) ? { ...body, cubes: metaForRole(body.cubes, context) } : body,
);
