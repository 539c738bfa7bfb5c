import type { NextFunction, Request, Response } from 'express';

type Row = Record<string, unknown>;

/** Cube's compact form of a result's rows: member names once, then one array of values per row. */
export function toCompact(rows: Row[]): { members: string[]; dataset: unknown[][] } {
  const members = Object.keys(rows[0] ?? {});
  return { members, dataset: rows.map((row) => members.map((m) => row[m])) };
}

function isCompact(query: unknown): query is Record<string, unknown> {
  return query !== null && typeof query === 'object' && !Array.isArray(query) && (query as Record<string, unknown>).responseFormat === 'compact';
}

/**
 * `responseFormat: "compact"` on /load. The policies that rewrite results (small-group
 * suppression) read rows as objects, so Cube is asked for the default format and the rows are
 * made compact last, after every other step, exactly as Cube would have shaped them. Mount
 * before the result-rewriting middlewares (the innermost `res.json` runs last).
 */
export function compactResponses(req: Request, res: Response, next: NextFunction): void {
  const fromQueryString = req.method === 'GET';
  const raw = fromQueryString ? req.query.query : req.body?.query;
  let query: unknown = raw;
  if (typeof raw === 'string') {
    try {
      query = JSON.parse(raw);
    } catch {
      return next(); // Cube answers undecodable JSON itself.
    }
  }
  if (!isCompact(query)) return next();
  const { responseFormat: _compact, ...plain } = query;
  if (fromQueryString) (req.query as Record<string, unknown>).query = JSON.stringify(plain);
  else req.body.query = plain;
  const json = res.json.bind(res);
  res.json = (body?: any) => {
    if (body && typeof body === 'object' && Array.isArray(body.data) && !('error' in body)) {
      return json({ ...body, query: { ...body.query, responseFormat: 'compact' }, data: toCompact(body.data) });
    }
    return json(body);
  };
  next();
}
