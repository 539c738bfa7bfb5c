import type { Request } from 'express';

/** Aborts when the client goes before the answer is sent, so the work done for it can stop. */
export function abortedWith(req: Request): AbortSignal {
  const controller = new AbortController();
  req.res?.on('close', () => {
    if (!req.res?.writableEnded) controller.abort();
  });
  return controller.signal;
}
