import type { Request } from 'express';

/** This server's own address as the request reached it, for calling its API from a route. */
export function selfUrl(req: Request): string {
  const host = req.socket.localFamily === 'IPv6' ? `[${req.socket.localAddress}]` : req.socket.localAddress;
  return `http://${host}:${req.socket.localPort}`;
}
