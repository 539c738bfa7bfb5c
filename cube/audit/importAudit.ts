import type { NextFunction, Request, Response } from 'express';
import { TokenError, verifyApiToken } from '../auth/tokens.js';
import { requestIdOf } from '../http/requestIds.js';
import { actorOf, type AuditTrail } from './auditTrail.js';

/**
 * Records every request to the import route once it is answered: who, into which tenant, in
 * which format, how many bytes, and the status. The route itself stays unaware of the trail. A
 * 200 means the import ran and streamed its report; its rows and rejections are in that report.
 */
export function auditImports(apiSecret: string, audit: AuditTrail) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.on('finish', () => {
      let actor = { tenant_id: null as string | null, user_id: null as string | null, role: null as string | null };
      try {
        actor = actorOf(verifyApiToken(apiSecret, req.headers.authorization));
      } catch (e) {
        if (!(e instanceof TokenError)) throw e;
      }
      const status = res.statusCode;
      const text = (name: string) => (typeof req.query[name] === 'string' ? String(req.query[name]).slice(0, 100) : null);
      audit.record({
        kind: 'import',
        outcome: status === 200 ? 'ok' : status < 500 ? 'refused' : 'failed',
        ...actor,
        request_id: requestIdOf(req),
        detail: { status, into_tenant: text('tenant'), format: text('format'), name: text('name'), bytes: Number(req.headers['content-length'] ?? 0) || null },
      });
    });
    next();
  };
}
