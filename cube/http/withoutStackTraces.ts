import type { NextFunction, Request, Response } from 'express';

/** Cube's gateway puts stack traces in error bodies; callers get the message, logs keep the rest. */
export function withoutStackTraces(_req: Request, res: Response, next: NextFunction): void {
  const json = res.json.bind(res);
  res.json = (body?: any) => {
    if (body && typeof body === 'object' && 'stack' in body) {
      const { stack: _stack, ...rest } = body;
      return json(rest);
    }
    return json(body);
  };
  next();
}
