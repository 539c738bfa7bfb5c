import type express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { Role } from '../auth/securityContext.js';
import { ROLE_CAPABILITIES } from '../policy/roles.js';
import { TokenError, verifyApiToken } from '../auth/tokens.js';
import type { Drain } from '../lifecycle.js';
import { explainCompileErrors } from '../engine/compileErrors.js';
import { NATIVE_UNAVAILABLE } from '../native/nativeStandIn.js';
import type { QueryClients } from '../queue/queryClients.js';
import { cleanErrorBodies } from './cleanErrorBodies.js';
import { queryAdmission } from './queryAdmission.js';
import { rejectMalformedQueries } from './queryShape.js';

/**
 * Before Cube's own routes: error bodies cleaned, malformed queries and over-busy users refused,
 * the routes this product turns off answered 501, and a draining server answering long loads.
 */
export function cubeApiGuards(app: express.Express, { apiSecret, modelPath, clients, drain }: { apiSecret: string; modelPath: string; clients: QueryClients; drain: Drain }): void {
  app.use(
    '/cubejs-api',
    cleanErrorBodies((message) => explainCompileErrors(message, modelPath)),
  );
  app.use(['/cubejs-api/v1/sql', '/cubejs-api/v1/dry-run'], generatedSqlOnly(apiSecret));
  app.use(['/cubejs-api/v1/load', '/cubejs-api/v1/sql', '/cubejs-api/v1/dry-run'], rejectMalformedQueries, queryAdmission(apiSecret, clients));
  // Subscriptions re-run queries outside the result hooks the policies live in.
  app.get('/cubejs-api/v1/subscribe', unavailable(apiSecret, 'Subscriptions are turned off in this product; poll /cubejs-api/v1/load instead.'));
  // Cube's SQL API lives in the native module. GraphQL is off: its schema is cached across
  // roles, so /meta's per-role view of the model could not hold there.
  app.post('/cubejs-api/v1/cubesql', unavailable(apiSecret, `Cube's SQL API ${NATIVE_UNAVAILABLE} Use the REST API (/cubejs-api/v1/load).`));
  app.all(['/cubejs-api/graphql', '/cubejs-api/v1/graphql-to-json'], unavailable(apiSecret, 'The GraphQL API is turned off in this product; use the REST API (/cubejs-api/v1/load).'));
  app.post('/cubejs-api/v1/pre-aggregations/can-use', unavailable(apiSecret, 'The Rollup Designer API is turned off in this product.'));
  // Last of the response wrappers: while draining, a long query is answered, not told "Continue wait".
  app.use('/cubejs-api/v1/load', drain.holdContinueWait);
}

/** /sql and /dry-run for the roles that may read generated SQL (policy/roles.ts); 403 for the others, 401/403 for a bad token. */
function generatedSqlOnly(apiSecret: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    let role: Role;
    try {
      ({ role } = verifyApiToken(apiSecret, req.headers.authorization));
    } catch (e) {
      res.status(e instanceof TokenError ? e.status : 401).json({ error: (e as Error).message });
      return;
    }
    if (ROLE_CAPABILITIES[role].generatedSql) return next();
    res.status(403).json({ error: `The generated SQL and query plan are for admins and CRM managers (role ${role}): ask for figures with /cubejs-api/v1/load.` });
  };
}

/** Answers 501 with `message` to a valid token (and 401/403 to others, like every API route). */
function unavailable(apiSecret: string, message: string) {
  return (req: Request, res: Response) => {
    try {
      verifyApiToken(apiSecret, req.headers.authorization);
    } catch (e) {
      res.status(e instanceof TokenError ? e.status : 401).json({ error: (e as Error).message });
      return;
    }
    res.status(501).json({ error: message });
  };
}
