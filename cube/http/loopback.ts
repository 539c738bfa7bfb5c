import type { Request } from 'express';

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * True when the request comes from this machine AND names this machine in its Host header:
 * the second check stops a web page on another origin from reaching a local server through
 * DNS rebinding.
 */
export function isLoopbackRequest(req: Request): boolean {
  const hostname = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  return LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? '') && LOOPBACK_HOSTNAMES.has(hostname);
}
