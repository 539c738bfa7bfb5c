import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import net from 'node:net';
import { cubeContextOf } from './engine/cubeEngine.js';
import { isContinueWait } from './engine/upstreamErrors.js';

/**
 * Graceful shutdown. On SIGTERM the server stops listening but finishes what it was asked:
 * - requests in flight complete (counted by `track`);
 * - Cube answers a long `/load` with "Continue wait" and the client asks again on its
 *   keep-alive connection. While draining, `holdContinueWait` does not send that answer: it
 *   asks Cube again in-process and replies with the result (or the error) instead, so
 *   the client gets its data in that same request. A client told "Continue wait" just before
 *   the signal still has its open connection to ask again on (existing connections are kept
 *   until the drain ends);
 * - bounded: after `timeoutMs` the remaining connections are closed.
 */
export class Drain {
  private draining = false;
  private inFlight = 0;
  /** Queries answered "Continue wait" (key → when), whose client is expected back. */
  private readonly awaitingPoll = new Map<string, number>();
  private wake: (() => void) | null = null;

  /** `answer` runs a /load request to its final answer in-process (InProcessApi.answer). */
  constructor(private readonly answer: (request: { query: unknown; queryType?: unknown; context: object }) => Promise<{ message: any; status: number }>) {}

  isDraining(): boolean {
    return this.draining;
  }

  /** Counts every request until its response is finished (or its connection closed). */
  track = (_req: Request, res: Response, next: NextFunction): void => {
    this.inFlight++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      this.inFlight--;
      this.notify();
    };
    res.once('finish', finish);
    res.once('close', finish);
    if (this.draining) res.set('Connection', 'close');
    next();
  };

  /** For `/cubejs-api/v1/load`, registered after every other response wrapper (it sees Cube's answer first). */
  holdContinueWait = (req: Request, res: Response, next: NextFunction): void => {
    const key = pollKey(req);
    const json = res.json.bind(res);
    res.json = (body?: any) => {
      if (isContinueWait(body)) {
        if (!this.draining) {
          this.awaitingPoll.set(key, Date.now());
          return json(body);
        }
        res.set('Connection', 'close');
        this.finishInProcess(req).then(
          ({ message, status }) => {
            this.awaitingPoll.delete(key);
            res.status(status);
            json(message);
          },
          () => {
            this.awaitingPoll.delete(key);
            res.status(500);
            json({ error: 'Internal server error while shutting down.' });
          },
        );
        return res;
      }
      this.awaitingPoll.delete(key);
      this.notify();
      return json(body);
    };
    next();
  };

  /** Asks Cube for the same query until it has an answer other than "Continue wait". */
  private finishInProcess(req: Request): Promise<{ message: any; status: number }> {
    const source = (req.method === 'GET' ? req.query : (req.body ?? {})) as { query?: unknown; queryType?: unknown };
    return this.answer({ query: source.query, queryType: source.queryType, context: cubeContextOf(req) });
  }

  /**
   * Stops listening (existing connections stay open), waits until no request is in flight and
   * no client told "Continue wait" within `repollGraceMs` is still to come back, or until
   * `timeoutMs`; then closes every connection. Resolves to the number of requests cut off.
   */
  async drain(server: Server, timeoutMs = 30_000, repollGraceMs = 2_000): Promise<number> {
    this.draining = true;
    // net.Server's close, not http.Server's: the latter also drops idle keep-alive connections,
    // the ones clients told "Continue wait" are about to ask again on.
    if (server.listening) net.Server.prototype.close.call(server);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = Date.now();
      for (const [key, at] of this.awaitingPoll) if (now - at > repollGraceMs) this.awaitingPoll.delete(key);
      if ((this.inFlight === 0 && this.awaitingPoll.size === 0) || now >= deadline) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(200, Math.max(1, deadline - now)));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
    const cutOff = this.inFlight;
    server.closeAllConnections();
    return cutOff;
  }

  private notify(): void {
    this.wake?.();
  }
}

function pollKey(req: Request): string {
  const query = req.method === 'GET' ? String(req.query.query ?? '') : JSON.stringify(req.body?.query ?? null);
  return `${req.headers.authorization ?? ''}\n${req.method}\n${query}`;
}

/** Closes a server whether or not it still listens, dropping any connection left. */
export async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
  server.closeAllConnections();
  await closed;
}

/**
 * SIGTERM/SIGINT run `shutdown` once (draining, then exit 0); a second signal exits at once.
 * Returns `stopOnce`, for a stop that is not a person's signal (the launcher went away): it
 * starts the same shutdown, or does nothing when one is under way, so that npm leaving during
 * a drain never counts as that second signal.
 */
export function onShutdownSignals(shutdown: (reason: string) => Promise<void>, log: (message: string) => void = console.error): (reason: string) => void {
  let stopping = false;
  const stopOnce = (reason: string) => {
    if (stopping) return;
    stopping = true;
    shutdown(reason).then(
      () => process.exit(0),
      (e) => {
        log(`Shutdown failed: ${(e as Error)?.message ?? e}`);
        process.exit(1);
      },
    );
  };
  let first: { signal: NodeJS.Signals; at: number } | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    // Ctrl-C reaches every process of the terminal's group and npm passes it on again: the same
    // signal within a second is that one stop delivered twice, not a person asking again.
    if (first && first.signal === signal && Date.now() - first.at < 1000) return;
    first ??= { signal, at: Date.now() };
    if (stopping) {
      log(`${signal} again: exiting without waiting.`);
      process.exit(1);
    }
    stopOnce(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return stopOnce;
}
