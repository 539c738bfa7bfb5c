import type { Request, Response } from 'express';
import { TokenError, verifyApiToken } from '../auth/tokens.js';
import type { ModelIssue } from '../modelCheck.js';

/**
 * GET /api/model/check (admins): npm run model:check's rules run by the server itself, on the
 * model files it serves and through its own warehouse connection. DuckDB lets one process hold
 * a file, so while the server runs this is how `npm run model:check` reaches the warehouse.
 */
export function modelCheckRoute(apiSecret: string, modelPath: string, modelIssues: () => Promise<ModelIssue[]>, log: (message: string) => void) {
  return async (req: Request, res: Response) => {
    try {
      const context = verifyApiToken(apiSecret, req.headers.authorization);
      if (context.role !== 'admin') {
        res.status(403).json({ error: 'Only admins may run the model check.' });
        return;
      }
    } catch (e) {
      res.status(e instanceof TokenError ? e.status : 401).json({ error: (e as Error).message });
      return;
    }
    try {
      res.json({ model: modelPath, issues: await modelIssues() });
    } catch (e) {
      log(`[model-check] ${(e as Error).message}`);
      res.status(500).json({ error: 'The model check could not run; the server log has the details.' });
    }
  };
}
