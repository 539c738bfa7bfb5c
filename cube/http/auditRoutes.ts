import express, { type Request, type Response, type Router } from 'express';
import { TokenError, verifyApiToken } from '../auth/tokens.js';
import { actorOf, AUDIT_KINDS, type AuditFilter, type AuditTrail } from '../audit/auditTrail.js';
import { requestIdOf } from './requestIds.js';

const PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

class BadRequest extends Error {}

/** A query-string time (ISO date or date-time) as epoch ms; undefined when not given. */
function timeParam(req: Request, name: string): number | undefined {
  const text = req.query[name];
  if (text === undefined) return undefined;
  const ms = typeof text === 'string' ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) throw new BadRequest(`"${name}" must be a date or time such as 2026-12-01 or 2026-12-01T09:00:00+09:00.`);
  return ms;
}

function filterOf(req: Request): AuditFilter {
  const { user, kind, limit = String(PAGE_SIZE), before } = req.query;
  if (user !== undefined && (typeof user !== 'string' || !user)) throw new BadRequest('"user" must be a user name.');
  const families = new Set(AUDIT_KINDS.map((k) => k.split('.')[0]));
  if (kind !== undefined && (typeof kind !== 'string' || !((AUDIT_KINDS as readonly string[]).includes(kind) || families.has(kind)))) {
    throw new BadRequest(`"kind" must be one of ${[...new Set([...families, ...AUDIT_KINDS])].join(', ')}.`);
  }
  const size = Number(limit);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) throw new BadRequest(`"limit" must be a whole number from 1 to ${MAX_PAGE_SIZE}.`);
  const cursor = before === undefined ? undefined : Number(before);
  if (cursor !== undefined && !Number.isInteger(cursor)) throw new BadRequest('"before" must be the "next" of the previous page.');
  return { from: timeParam(req, 'from'), to: timeParam(req, 'to'), user: user as string | undefined, kind: kind as string | undefined, limit: size, before: cursor };
}

function answerError(res: Response, e: unknown): void {
  if (e instanceof TokenError) res.status(e.status).json({ error: e.message });
  else if (e instanceof BadRequest) res.status(400).json({ error: e.message });
  else throw e;
}

/**
 * `GET /api/audit?from=&to=&user=&kind=&limit=&before=`: the audit trail, for admins only,
 * each seeing their tenant's events (an all-tenant admin: every tenant's), never their own.
 * `POST /api/audit/export` records a CSV download the web app made from data it had loaded.
 */
export function auditRoutes(apiSecret: string, audit: AuditTrail): Router {
  const router = express.Router();
  router.get('/audit', (req, res) => {
    try {
      const reader = verifyApiToken(apiSecret, req.headers.authorization);
      if (reader.role !== 'admin') {
        res.status(403).json({ error: 'Only admins may read the audit trail.' });
        return;
      }
      res.set('Cache-Control', 'no-store').json(audit.readFor(reader, filterOf(req)));
    } catch (e) {
      answerError(res, e);
    }
  });

  router.post('/audit/export', (req, res) => {
    try {
      const identity = verifyApiToken(apiSecret, req.headers.authorization);
      const { filename, rows } = req.body ?? {};
      if (typeof filename !== 'string' || !filename || filename.length > 200 || !Number.isInteger(rows) || rows < 0) {
        throw new BadRequest('Send JSON { "filename": "…", "rows": <number of rows exported> }.');
      }
      audit.record({ kind: 'export', outcome: 'ok', ...actorOf(identity), request_id: requestIdOf(req), detail: { filename, rows } });
      res.status(204).end();
    } catch (e) {
      answerError(res, e);
    }
  });
  return router;
}
