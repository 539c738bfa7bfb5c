import type { NextFunction, Request, Response } from 'express';

const ARRAY_FIELDS = ['measures', 'dimensions', 'segments', 'timeDimensions', 'filters'] as const;

/**
 * The shape errors Cube 0.35 would answer with a 500 (it iterates before it validates):
 * returns a message for the first one, or null. Cube's own validation handles the rest.
 */
export function queryShapeError(query: unknown): string | null {
  if (Array.isArray(query)) {
    for (const q of query) {
      const error = queryShapeError(q);
      if (error) return error;
    }
    return null;
  }
  if (query === null || typeof query !== 'object') return 'the query must be a JSON object';
  const record = query as Record<string, unknown>;
  for (const field of ARRAY_FIELDS) {
    if (field in record && !Array.isArray(record[field])) return `"${field}" must be an array`;
  }
  for (const field of ['measures', 'dimensions', 'segments'] as const) {
    const values = record[field] as unknown[] | undefined;
    if (values?.some((v) => typeof v !== 'string')) return `"${field}" must list member names as strings`;
  }
  const timeDimensions = record.timeDimensions as unknown[] | undefined;
  if (timeDimensions?.some((t) => t === null || typeof t !== 'object')) return '"timeDimensions" must be an array of objects';
  return null;
}

function queryOf(req: Request): unknown {
  const raw = req.method === 'GET' ? req.query.query : req.body?.query;
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined; // Cube answers undecodable JSON with a clear 400 itself.
  }
}

/** Answers a query of the wrong shape with 400 before it reaches Cube. */
export function rejectMalformedQueries(req: Request, res: Response, next: NextFunction): void {
  const query = queryOf(req);
  const error = query === undefined ? null : queryShapeError(query);
  if (error) {
    res.status(400).json({ error: `Malformed query: ${error}.` });
    return;
  }
  next();
}
