import type { Request } from 'express';

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Headers a reverse proxy adds: a request carrying one came from elsewhere through the proxy. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip', 'via'];

/**
 * True when the request comes from this machine AND names this machine in its Host header:
 * the second check stops a web page on another origin from reaching a local server through
 * DNS rebinding. A request with proxy headers is never a loopback client, since a reverse
 * proxy on the same host connects from 127.0.0.1 on behalf of anyone. (A proxy that adds no
 * such header and rewrites Host cannot be told apart: that is why the demo token is opt-in.)
 */
export function isLoopbackRequest(req: Request): boolean {
  const hostname = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  if (PROXY_HEADERS.some((name) => req.headers[name] !== undefined)) return false;
  return LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? '') && LOOPBACK_HOSTNAMES.has(hostname);
}
