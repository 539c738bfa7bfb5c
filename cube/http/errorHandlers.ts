import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { requestIdOf } from './requestIds.js';

/** body-parser's error types, answered with the status they stand for and a message that says what to change. */
const BODY_ERRORS: Record<string, (err: any) => [number, string]> = {
  'entity.parse.failed': (err) => [400, `Malformed request body: ${String(err.message).slice(0, 200)}`],
  'entity.too.large': (err) => [413, `Request body too large: at most ${Math.floor(err.limit / 1024)} KB of JSON.`],
  'charset.unsupported': (err) => [415, `Unsupported charset "${String(err.charset).slice(0, 40)}": send JSON as UTF-8 (Content-Type: application/json; charset=utf-8).`],
  'encoding.unsupported': (err) => [415, `Unsupported Content-Encoding "${String(err.encoding).slice(0, 40)}": send the body uncompressed, gzip or deflate.`],
  'request.size.invalid': () => [400, 'The request body does not match its Content-Length.'],
  'request.aborted': () => [400, 'The request body was not received completely.'],
  'stream.encoding.set': () => [500, 'Internal server error'],
};

/**
 * Error handler for the JSON body parser: clear 4xx answers instead of the 500 (with a stack
 * trace) Cube's catch-all would give.
 */
export function bodyParserErrors(err: any, _req: Request, res: Response, next: NextFunction): void {
  const answer = typeof err?.type === 'string' ? BODY_ERRORS[err.type] : undefined;
  if (answer) {
    const [status, error] = answer(err);
    res.status(status).json({ error });
  } else if (err?.expose && Number.isInteger(err.status) && err.status >= 400 && err.status < 500) {
    // Another http-errors client error from the parser (e.g. inflate failures): its message is meant for clients.
    res.status(err.status).json({ error: `Unreadable request body: ${String(err.message).slice(0, 200)}` });
  } else next(err);
}

/** The last error handler: logs the error with the request id and answers without internals. */
export function lastErrorHandler(log: (message: string) => void) {
  return (err: any, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      // Cube's gateway answered (and logged) already; a half-sent answer is closed by Express.
      if (!res.writableEnded) next(err);
      return;
    }
    const requestId = requestIdOf(req);
    log(`[http ${requestId}] ${err?.stack ?? err}`);
    res.status(500).json({ error: `Internal server error (request id ${requestId}).` });
  };
}

/** Unknown routes answer JSON like every other error (Express would send an HTML page). */
export function notFound(req: Request, res: Response): void {
  res.status(404).json({ error: `No such route: ${req.method} ${req.path.slice(0, 200)}.` });
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 413: 'Payload Too Large', 431: 'Request Header Fields Too Large' };

/**
 * Requests Node's HTTP parser refuses before Express sees them (headers over 16 KB, broken
 * request lines) get a JSON error like every other, instead of an empty body.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException & { code?: string }, socket: Duplex) => {
    if (!socket.writable || (socket as any)._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const error =
      status === 431 ? 'Request headers too large: at most 16 KB (is the Authorization header an API token?).' : status === 408 ? 'The request took too long to arrive.' : 'Malformed HTTP request.';
    const body = JSON.stringify({ error });
    socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}
