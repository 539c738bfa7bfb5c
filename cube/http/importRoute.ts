import type { Request, Response } from 'express';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ImportError } from '../../seeds/import/format.js';
import type { ImportEvent } from '../../seeds/import/importEvents.js';
import { checkImportParameters, IMPORT_PARAMETERS, type CheckedImport, type ImportParameters } from '../../seeds/import/importParameters.js';
import { ALL_TENANTS } from '../auth/securityContext.js';
import { DEFAULT_IMPORT_RECEIVE_SECONDS } from '../config.js';
import { TokenError, verifyApiToken } from '../auth/tokens.js';
import { ImportBusy, WarehouseUnavailable, type WarehouseImports } from '../warehouseImports.js';
import { requestIdOf } from './requestIds.js';

export interface ImportRouteOptions {
  apiSecret: string;
  imports: WarehouseImports;
  /** The warehouse file the server holds: a client naming another file is told so. */
  warehouseFile: string;
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Longest the file may take to arrive, in seconds (CRM_IMPORT_RECEIVE_SECONDS): a trickled upload is cut off with 408. */
  receiveSeconds?: number;
  log: (message: string) => void;
}

/** A request refused before the import starts, with its status and the reason the client sees. */
class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * POST /api/admin/import?format=…&tenant=…[&name=…&max-rejected=…&encoding=…&columns=…&warehouse=…]
 * with the file as the body (application/octet-stream): what `npm run import` sends while the
 * server holds the DuckDB file. Admins only, and only into a tenant their token covers. The
 * answer streams the import's progress and ends with its report (importEvents.ts).
 */
export function importRoute({ apiSecret, imports, warehouseFile, maxBytes, receiveSeconds = DEFAULT_IMPORT_RECEIVE_SECONDS, log }: ImportRouteOptions) {
  return async (req: Request, res: Response) => {
    const requestId = requestIdOf(req);
    let release: (() => void) | null = null;
    let upload: string | null = null;
    let tenantScope: string | null = null;
    try {
      const { options, tokenTenant } = checkRequest(req, apiSecret, warehouseFile);
      tenantScope = tokenTenant;
      release = imports.reserve(options.tenant);
      upload = mkdtempSync(path.join(tmpdir(), 'crm-import-'));
      const file = path.join(upload, 'upload');
      // Received in full before the write waits its turn: a slow upload holds its own tenant's slot only.
      await receiveFile(req, file, maxBytes, receiveSeconds);
      res.status(200).type('application/x-ndjson');
      await imports.run(options, file, requestId, (event: ImportEvent) => res.write(`${JSON.stringify(event)}\n`));
      res.end();
    } catch (e) {
      if (!res.headersSent) {
        const status =
          e instanceof Refused ? e.status : e instanceof TokenError ? e.status : e instanceof ImportError ? 400 : e instanceof ImportBusy ? 409 : e instanceof WarehouseUnavailable ? 503 : 500;
        if (status === 500) log(`[import ${requestId}] ${(e as Error)?.stack ?? e}`);
        // The client may still be sending a file nobody will read: close the connection after answering.
        res.set('Connection', 'close');
        // Another tenant's import is not for a token bound to one tenant to hear about.
        const hidden = e instanceof ImportBusy && tenantScope !== ALL_TENANTS && e.tenant !== tenantScope;
        const message = hidden ? 'Another import is running; imports run one at a time, try again when it has finished.' : (e as Error).message;
        res.status(status).json({ error: status === 500 ? `The import could not run (request ${requestId}; the server log has the details).` : message });
      } else {
        log(`[import ${requestId}] ${(e as Error)?.stack ?? e}`);
        res.end();
      }
    } finally {
      release?.();
      if (upload) rmSync(upload, { recursive: true, force: true });
    }
  };
}

/** Who may import, and what: an admin, into a tenant the token covers, with parameters from the closed lists. */
function checkRequest(req: Request, apiSecret: string, warehouseFile: string): { options: CheckedImport; tokenTenant: string } {
  const context = verifyApiToken(apiSecret, req.headers.authorization);
  if (context.role !== 'admin') throw new Refused(403, 'Only admins may import data.');
  const text: ImportParameters = {};
  for (const name of IMPORT_PARAMETERS) {
    const value = req.query[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new Refused(400, `The parameter ${name} must be given once, as text.`);
    text[name] = value;
  }
  const options = checkImportParameters(text);
  if (context.tenant_id !== ALL_TENANTS && context.tenant_id !== options.tenant) {
    throw new Refused(403, `Your token covers tenant ${context.tenant_id} only; it may not import into tenant ${options.tenant}.`);
  }
  const named = req.query.warehouse;
  if (typeof named === 'string' && path.resolve(named) !== path.resolve(warehouseFile)) {
    // Where the server keeps its files is for the operator (an all-tenant admin), not a tenant's admin.
    const held = context.tenant_id === ALL_TENANTS ? `the warehouse ${warehouseFile}` : 'another warehouse file';
    throw new Refused(409, `This server holds ${held}, not ${named.slice(0, 300)}: import into the server's warehouse (leave out --out), or use --out for a file the server does not hold.`);
  }
  if (!req.is('application/octet-stream')) throw new Refused(415, 'Send the file as the request body with Content-Type: application/octet-stream.');
  return { options, tokenTenant: context.tenant_id };
}

/**
 * Writes the request body to `file`, refusing more than `maxBytes` (413) and a body still not
 * complete after `receiveSeconds` (408). The request is left unread, not destroyed, so that the
 * refusal reaches the client before the connection closes.
 */
async function receiveFile(req: Request, file: string, maxBytes: number, receiveSeconds: number): Promise<void> {
  const tooLarge = () => new Refused(413, `The file is larger than this server accepts (${maxBytes.toLocaleString('en-US')} bytes, CRM_IMPORT_MAX_BYTES).`);
  if (Number(req.headers['content-length']) > maxBytes) throw tooLarge();
  const out = createWriteStream(file, { mode: 0o600 });
  let bytes = 0;
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.unpipe(out);
      req.pause();
      out.destroy();
      reject(e);
    };
    const timer = setTimeout(
      () =>
        fail(
          new Refused(
            408,
            `The file did not arrive within ${receiveSeconds} s (${bytes.toLocaleString('en-US')} bytes received; CRM_IMPORT_RECEIVE_SECONDS): nothing was imported. Send it over a faster connection, or ask the operator to raise the limit.`,
          ),
        ),
      receiveSeconds * 1000,
    );
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) fail(tooLarge());
    });
    const cut = () => fail(new Refused(400, 'The file was not received completely.'));
    req.on('aborted', cut);
    req.on('error', cut);
    out.on('error', (e) => fail(e));
    out.on('finish', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve();
    });
    req.pipe(out);
  });
  if (bytes === 0) throw new Refused(400, 'The request has no body: send the file to import.');
}
