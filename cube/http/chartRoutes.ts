import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { randomUUID } from 'node:crypto';
import { ALL_TENANTS, type Role, type SecurityContext } from '../auth/securityContext.js';
import { durationSeconds, isDuration, MAX_TOKEN_LIFETIME_SECONDS, TokenError, verifyApiToken } from '../auth/tokens.js';
import { CHART_TYPES, type ChartStore, type SavedChart } from '../embed/chartStore.js';
import { signEmbedToken, verifyEmbedToken, type EmbedGrant } from '../embed/embedTokens.js';
import { isCustomerList } from '../policy/accessPolicy.js';
import type { MemberIndex } from '../policy/memberIndex.js';
import type { CubeQuery, Filter } from '../policy/queryMembers.js';
import { queryShapeError } from './queryShape.js';
import { QueryFailed, type InProcessApi } from '../inProcessApi.js';
import { abortedWith } from './abortSignal.js';
import type { EmbedTokenRegistry } from '../embed/embedTokenRegistry.js';
import { actorOf, type AuditEvent, type AuditTrail } from '../audit/auditTrail.js';
import { requestIdOf } from './requestIds.js';

const CHART_EDITORS: Role[] = ['admin', 'crm_manager'];

export interface ChartRoutesOptions {
  apiSecret: string;
  charts: ChartStore;
  /** The embed tokens minted, listed and revoked here. */
  embedTokens: EmbedTokenRegistry;
  audit: AuditTrail;
  /** Runs chart queries in-process, under every policy of the REST API. */
  api: InProcessApi;
  /** The compiled model's members as the policies see them (which dimension is a member number). */
  memberIndex: () => Promise<MemberIndex>;
  /** Portal origins allowed to call the embed data route from a browser. */
  embedOrigins: string[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parseExpiry(value: unknown): number {
  if (value === undefined) return 24 * 3600;
  const seconds = typeof value === 'number' ? value : typeof value === 'string' && isDuration(value) ? durationSeconds(value) : NaN;
  if (!Number.isInteger(seconds) || seconds <= 0 || seconds > MAX_TOKEN_LIFETIME_SECONDS) {
    throw new HttpError(400, '"expiresIn" must be like 30m, 12h or 7d (at most 30 days).');
  }
  return seconds;
}

/**
 * `/api/charts` (saved charts and embed tokens, for API tokens of chart editors) and
 * `/api/embed/:id/data` (the only route an embed token opens: its chart's stored query,
 * with the token's tenant and fixed filters, under the `embed` role).
 *
 * Every chart belongs to one tenant: a crm_manager's to their own; an admin's to the
 * `tenant_id` given when saving, or, without one, to `*` (admin-only, never embedded).
 * Callers see, read and embed only their tenant's charts (admins of `*`: all); another
 * tenant's chart answers 404 exactly as an unknown id does. An embed token is always for
 * the chart's own tenant, since the chart's filters may hold that tenant's data.
 */
export function chartRoutes({ apiSecret, charts, embedTokens, audit, api, memberIndex, embedOrigins }: ChartRoutesOptions): Router {
  const router = express.Router();
  const identityOf = (req: Request): SecurityContext => (req as any).identity;
  const record = (req: Request, kind: AuditEvent['kind'], detail: Record<string, unknown>) => audit.record({ kind, outcome: 'ok', ...actorOf(identityOf(req)), request_id: requestIdOf(req), detail });
  const who = (req: Request) => identityOf(req).sub ?? identityOf(req).role;

  const requireApiToken = (roles?: Role[]) => (req: Request, _res: Response, next: NextFunction) => {
    const identity = verifyApiToken(apiSecret, req.headers.authorization);
    if (roles && !roles.includes(identity.role)) throw new HttpError(403, `Only ${roles.join(' and ')} may manage saved charts and embeds.`);
    (req as any).identity = identity;
    next();
  };

  /** The chart named in the URL, if the caller's tenant may see it: another tenant's chart is "not found" too. */
  const chartOf = (req: Request): SavedChart => {
    const chart = charts.getFor(String(req.params.id), identityOf(req).tenant_id);
    if (!chart) throw new HttpError(404, `No saved chart "${req.params.id}".`);
    return chart;
  };

  /** The tenant a new chart belongs to: the caller's, or for an admin of every tenant the one named (else `*`). */
  const tenantForNewChart = (identity: SecurityContext, requested: unknown): string => {
    if (requested !== undefined && (typeof requested !== 'string' || !requested)) throw new HttpError(400, '"tenant_id" must be a tenant id.');
    if (identity.tenant_id !== ALL_TENANTS) {
      if (requested !== undefined && requested !== identity.tenant_id) throw new HttpError(403, `You may save charts for tenant ${identity.tenant_id} only.`);
      return identity.tenant_id;
    }
    return (requested as string | undefined) ?? ALL_TENANTS;
  };

  router.get('/charts', requireApiToken(CHART_EDITORS), (req, res) => {
    res.json({ charts: charts.listFor(identityOf(req).tenant_id) });
  });

  router.get('/charts/:id', requireApiToken(CHART_EDITORS), (req, res) => {
    res.json({ chart: chartOf(req) });
  });

  router.post('/charts', requireApiToken(CHART_EDITORS), async (req, res, next) => {
    try {
      const { title, chartType, query } = req.body ?? {};
      const tenant_id = tenantForNewChart(identityOf(req), req.body?.tenant_id);
      if (typeof title !== 'string' || !title.trim() || title.length > 120) throw new HttpError(400, '"title" must be 1-120 characters.');
      if (!CHART_TYPES.includes(chartType)) throw new HttpError(400, `"chartType" must be one of ${CHART_TYPES.join(', ')}.`);
      const shapeError = queryShapeError(query);
      if (shapeError || Array.isArray(query)) throw new HttpError(400, `Malformed query: ${shapeError ?? 'one query per chart'}.`);
      // A tenant's chart can be embedded, and the embed role lists no customers (whoever holds the
      // link would see member numbers): refused now, not when a portal shows it.
      if (tenant_id !== ALL_TENANTS && isCustomerList(query as CubeQuery, await memberIndex())) {
        throw new HttpError(
          403,
          "This chart lists customers (it groups by a member number), and a tenant's chart can be embedded, where it would show member numbers to whoever holds the link: chart groups of customers instead.",
        );
      }
      // A chart that does not run for its author is refused now, not when a portal shows it.
      await api.load(identityOf(req), { ...query, limit: 1 });
      const chart = charts.save({ title: title.trim(), chartType, query, tenant_id, createdBy: who(req) });
      record(req, 'chart.create', { chart_id: chart.id, chart_tenant: tenant_id, title: chart.title });
      res.status(201).json({ chart });
    } catch (e) {
      next(e);
    }
  });

  // Another tenant's chart is 404, as for reading it; its embeds stop with it (their chart is gone).
  router.delete('/charts/:id', requireApiToken(CHART_EDITORS), (req, res) => {
    const chart = chartOf(req);
    charts.delete(chart.id);
    record(req, 'chart.delete', { chart_id: chart.id, chart_tenant: chart.tenant_id, title: chart.title });
    res.status(204).end();
  });

  router.post('/charts/:id/embed-tokens', requireApiToken(CHART_EDITORS), (req, res) => {
    const chart = chartOf(req);
    if (chart.tenant_id === ALL_TENANTS) {
      throw new HttpError(400, 'This chart is admin-only (saved without a tenant), so it cannot be embedded: save it again with "tenant_id".');
    }
    const { tenant_id = chart.tenant_id, filters = [], expiresIn } = req.body ?? {};
    if (typeof tenant_id !== 'string' || !tenant_id || tenant_id === ALL_TENANTS) throw new HttpError(400, 'An embed is for one tenant: give "tenant_id".');
    if (tenant_id !== chart.tenant_id) throw new HttpError(403, `This chart belongs to tenant ${chart.tenant_id}: its embeds are for that tenant only.`);
    const shapeError = queryShapeError({ filters });
    if (shapeError) throw new HttpError(400, `Malformed filters: ${shapeError}.`);
    const seconds = parseExpiry(expiresIn);
    const grant: EmbedGrant = { chart_id: chart.id, tenant_id, filters: filters as Filter[] };
    const jti = randomUUID();
    const token = signEmbedToken(apiSecret, grant, seconds, jti);
    const expiresAt = new Date(Date.now() + seconds * 1000);
    embedTokens.record({ jti, chart_id: chart.id, tenant_id, filters: grant.filters, createdBy: who(req), expiresAt: Math.floor(expiresAt.getTime() / 1000) });
    record(req, 'embed_token.create', { jti, chart_id: chart.id, embed_tenant: tenant_id, expiresAt });
    res.status(201).json({ token, jti, expiresAt, embedUrl: `/embed/${chart.id}?token=${token}` });
  });

  // The tokens themselves are never listed: only who minted which, for what, until when.
  router.get('/embed-tokens', requireApiToken(CHART_EDITORS), (req, res) => {
    res.set('Cache-Control', 'no-store').json({ embedTokens: embedTokens.listFor(identityOf(req).tenant_id) });
  });

  router.delete('/embed-tokens/:jti', requireApiToken(CHART_EDITORS), (req, res) => {
    const token = embedTokens.getFor(String(req.params.jti), identityOf(req).tenant_id);
    if (!token) throw new HttpError(404, `No embed token "${String(req.params.jti).slice(0, 60)}".`);
    embedTokens.revoke(token.jti, who(req));
    record(req, 'embed_token.revoke', { jti: token.jti, chart_id: token.chart_id, embed_tenant: token.tenant_id });
    res.status(204).end();
  });

  const cors = (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (origin && embedOrigins.includes(origin)) {
      res.set({ 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Headers': 'Authorization', 'Access-Control-Allow-Methods': 'GET', Vary: 'Origin' });
    }
    if (req.method === 'OPTIONS') res.status(204).end();
    else next();
  };
  router.options('/embed/:id/data', cors);
  router.get('/embed/:id/data', cors, async (req, res, next) => {
    try {
      const grant = verifyEmbedToken(apiSecret, req.headers.authorization?.replace(/^Bearer\s+/i, ''), String(req.params.id));
      const chart = charts.get(String(req.params.id));
      if (!chart) throw new HttpError(404, `No saved chart "${req.params.id}".`);
      // Also refuses tokens minted before charts had tenants for a tenant other than the chart's.
      if (chart.tenant_id !== grant.tenant_id) throw new TokenError(403, "This embed token's tenant is not the chart's tenant: mint a new embed token.");
      const query = { ...chart.query, filters: [...(chart.query.filters ?? []), ...grant.filters] };
      const result = await api.load({ tenant_id: grant.tenant_id, role: 'embed', sub: `embed:${chart.id}` }, query, abortedWith(req));
      res.set('Cache-Control', 'no-store').json({ chart: { id: chart.id, title: chart.title, chartType: chart.chartType }, result });
    } catch (e) {
      next(e);
    }
  });

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof HttpError || err instanceof TokenError || err instanceof QueryFailed) res.status(err.status).json({ error: err.message });
    else next(err);
  });
  return router;
}
