import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const CLIENT_ID = /^[\w.:-]{1,100}$/;

/**
 * Gives every request an id, sent back in `X-Request-Id` and used by Cube as its request id
 * (it reads the header), so an error answer can name the log lines that explain it. A
 * caller's own `X-Request-Id` is kept when it is a plain token; anything else is replaced.
 */
export function assignRequestIds(req: Request, res: Response, next: NextFunction): void {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && CLIENT_ID.test(given) ? given : randomUUID();
  req.headers['x-request-id'] = id;
  // Cube prefers `traceparent` to nothing but `x-request-id` to it; drop a stray one so ids agree.
  delete req.headers.traceparent;
  res.set('X-Request-Id', id);
  next();
}

export function requestIdOf(req: Request): string {
  const id = req.headers['x-request-id'];
  return typeof id === 'string' ? id : 'unknown';
}
