import path from 'node:path';
import type { Request, Response } from 'express';
import { ALL_TENANTS } from '../auth/securityContext.js';
import { TokenError, verifyApiToken } from '../auth/tokens.js';
import type { ModelIssue } from '../modelCheck.js';
import { modelDigest } from '../modelDigest.js';

/** An issue as a client may see it: files relative to the model folder, and no server path in the message. */
function withoutServerPaths(issue: ModelIssue, modelPath: string): ModelIssue {
  const file = path.isAbsolute(issue.file) ? path.relative(modelPath, issue.file) || '.' : issue.file;
  const message = issue.message.split(`${modelPath}${path.sep}`).join('').split(modelPath).join('.');
  return { ...issue, file, message };
}

/**
 * GET /api/model/check (all-tenant admins): npm run model:check's rules run by the server
 * itself, on the model files it serves and through its own warehouse connection. DuckDB lets one
 * process hold a file, so while the server runs this is how `npm run model:check` reaches the
 * warehouse. The model is every tenant's, so a tenant's admin may not run it; the answer names
 * files relative to the model folder and fingerprints the folder (modelDigest) rather than
 * saying where it is.
 */
export function modelCheckRoute(apiSecret: string, modelPath: string, modelIssues: () => Promise<ModelIssue[]>, log: (message: string) => void) {
  return async (req: Request, res: Response) => {
    try {
      const context = verifyApiToken(apiSecret, req.headers.authorization);
      if (context.role !== 'admin' || context.tenant_id !== ALL_TENANTS) {
        res.status(403).json({ error: 'Only all-tenant admins (tenant_id "*") may run the model check.' });
        return;
      }
    } catch (e) {
      res.status(e instanceof TokenError ? e.status : 401).json({ error: (e as Error).message });
      return;
    }
    try {
      const issues = (await modelIssues()).map((issue) => withoutServerPaths(issue, modelPath));
      res.json({ modelDigest: modelDigest(modelPath), issues });
    } catch (e) {
      log(`[model-check] ${(e as Error).message}`);
      res.status(500).json({ error: 'The model check could not run; the server log has the details.' });
    }
  };
}
