import type { NextFunction, Request, Response } from 'express';

/**
 * Cube's gateway puts stack traces in error bodies: callers get the message only (the log
 * keeps the rest), passed through `explain` (which names model files and members).
 */
export function cleanErrorBodies(explain: (message: string) => string) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const json = res.json.bind(res);
    res.json = (body?: any) => {
      if (body && typeof body === 'object' && typeof body.error === 'string') {
        const { stack: _stack, ...rest } = body;
        return json({ ...rest, error: explain(body.error) });
      }
      return json(body);
    };
    next();
  };
}
