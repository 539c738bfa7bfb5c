import type { NextFunction, Request, Response } from 'express';
import { TokenError, verifyApiToken } from '../auth/tokens.js';
import { requestIdOf } from '../http/requestIds.js';
import { actorOf, type AuditEvent, type AuditTrail } from './auditTrail.js';

/**
 * Records every request to a route once it is answered: who, the status, and what `detail`
 * reads from the request and response. For routes whose data does not pass through Cube's load
 * (imports, the cohort extract), so the route itself stays unaware of the trail.
 */
function auditOnFinish(apiSecret: string, audit: AuditTrail, kind: AuditEvent['kind'], detail: (req: Request, res: Response) => Record<string, unknown>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.on('finish', () => {
      let actor: Pick<AuditEvent, 'tenant_id' | 'user_id' | 'role'> = { tenant_id: null, user_id: null, role: null };
      try {
        actor = actorOf(verifyApiToken(apiSecret, req.headers.authorization));
      } catch (e) {
        if (!(e instanceof TokenError)) throw e;
      }
      const status = res.statusCode;
      const outcome = status < 400 ? 'ok' : status < 500 ? 'refused' : 'failed';
      audit.record({ kind, outcome, ...actor, request_id: requestIdOf(req), detail: { status, ...detail(req, res) } });
    });
    next();
  };
}

const text = (req: Request, name: string) => (typeof req.query[name] === 'string' ? String(req.query[name]).slice(0, 100) : null);

/** Imports: into which tenant, the format, the bytes sent. A 200 means the import ran and streamed its report (rows and rejections are there). */
export function auditImports(apiSecret: string, audit: AuditTrail) {
  return auditOnFinish(apiSecret, audit, 'import', (req) => ({
    into_tenant: text(req, 'tenant'),
    format: text(req, 'format'),
    name: text(req, 'name'),
    bytes: Number(req.headers['content-length'] ?? 0) || null,
  }));
}

/** The cohort extract (read from rollups, not through /load): which one, the bytes sent, the minimum group size applied. */
export function auditExtracts(apiSecret: string, audit: AuditTrail) {
  return auditOnFinish(apiSecret, audit, 'extract', (req, res) => ({
    // originalUrl: the router has rewritten req.path and req.params by the time the answer is sent.
    extract: decodeURIComponent(new URL(req.originalUrl, 'http://host').pathname.split('/').pop() ?? '').slice(0, 60),
    bytes: Number(res.getHeader('Content-Length') ?? 0) || null,
    minGroupSize: res.getHeader('X-Min-Group-Size') === undefined ? null : Number(res.getHeader('X-Min-Group-Size')),
  }));
}
