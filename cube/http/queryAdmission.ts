import type { NextFunction, Request, Response } from 'express';
import { verifyApiToken } from '../auth/tokens.js';
import type { QueryClients } from '../queue/queryClients.js';
import { requestIdOf } from './requestIds.js';

/**
 * Query requests of one user that Cube may work on at once. Cube plans every query it is sent
 * on the server's one thread (0.1 s or more for a view query), whether or not its client still
 * waits: a script sending hundreds would take that thread from everyone. Four keeps the web app
 * quick (a browser opens at most six connections to a server, and a user's warehouse queries
 * run two at a time anyway) while a flood holds at most four of these at once.
 */
export const QUERY_REQUESTS_PER_USER = 4;

/**
 * In front of Cube's query routes (/load, /sql, /dry-run): each user's requests beyond
 * `perUser` wait here, in their own line, and one whose client leaves while waiting is dropped
 * without costing anything. A request whose client leaves before its answer is reported to
 * `clients`, so that Cube's queue stops its query if nobody else waits for it. A request
 * without a valid token passes: Cube answers it 401 or 403.
 */
export function queryAdmission(apiSecret: string, clients: QueryClients, perUser = QUERY_REQUESTS_PER_USER) {
  const users = new Map<string, { running: number; waiting: (() => void)[] }>();

  return (req: Request, res: Response, next: NextFunction): void => {
    let key: string;
    try {
      const context = verifyApiToken(apiSecret, req.headers.authorization);
      key = `${context.tenant_id}\n${context.sub ?? context.role}`;
    } catch {
      return next();
    }
    const requestId = requestIdOf(req);
    // Gone before it got here (the server was busy): nothing to do for it.
    if (req.socket.destroyed) return clients.left(requestId);
    res.once('close', () => {
      if (!res.writableEnded) clients.left(requestId);
    });
    const user = users.get(key) ?? { running: 0, waiting: [] };
    users.set(key, user);
    const forgetIfIdle = () => {
      if (!user.running && !user.waiting.length) users.delete(key);
    };
    const release = () => {
      user.running--;
      user.waiting.shift()?.();
      forgetIfIdle();
    };
    /** Cube works on the request; its place is held until Cube has answered, even to a client gone meanwhile. */
    const start = () => {
      let released = false;
      const end = res.end.bind(res);
      res.end = ((...args: Parameters<Response['end']>) => {
        if (!released) {
          released = true;
          release();
        }
        return end(...args);
      }) as Response['end'];
      next();
    };

    if (user.running < perUser) {
      user.running++;
      // One turn of the event loop first: a client that sent its request and left at once (a
      // script's flood) is then seen gone, instead of the server planning its query.
      setImmediate(() => {
        if (!req.socket.destroyed) return start();
        clients.left(requestId);
        release();
      });
      return;
    }
    const turn = () => {
      user.running++;
      start();
    };
    user.waiting.push(turn);
    // Left while waiting: dropped before Cube does any work for it.
    res.once('close', () => {
      const at = user.waiting.indexOf(turn);
      if (at >= 0) user.waiting.splice(at, 1);
      forgetIfIdle();
    });
  };
}
