/**
 * `npm run import` while the server holds the DuckDB file: the file goes to the server's import
 * route, which imports it through its own connection and streams progress and the report back.
 */
import { openAsBlob } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { ImportError } from './format.js';
import { IMPORT_ROUTE, type ImportEvent } from './importEvents.js';
import { ImportFailed, type ImportReport } from './importFile.js';
import { IMPORT_PARAMETERS, type ImportParameters } from './importParameters.js';

export interface ServerImportOptions {
  url: string;
  token: string;
  file: string;
  parameters: ImportParameters;
  /** The warehouse file the caller means; the server refuses when it holds another one. */
  warehouse?: string;
  onProgress?: (share: number, rowsRead: number) => void;
  /** The server has committed the tenant's rows (its CLV fit and cache renewal follow). */
  onWritten?: (rows: number) => void;
  onLog?: (line: string) => void;
}

/**
 * The server went away during an import (it was stopped, or died): the connection broke or the
 * answer ended without the report. `written` says whether the server had committed the rows.
 */
export class ServerStopped extends ImportError {
  constructor(
    message: string,
    readonly written: boolean,
  ) {
    super(message);
  }
}

/** Connection failures that mean no server listens there; any other failure broke off a connection that was open. */
const NO_SERVER = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** undici's words for a broken connection ("terminated", "fetch failed") and the cause under them. */
function brokenConnection(e: unknown): string {
  const cause = (e as { cause?: { message?: string; code?: string } })?.cause;
  return [(e as Error)?.message ?? String(e), cause?.code ?? cause?.message].filter(Boolean).join(': ');
}

function serverStopped(url: string, written: boolean, e: unknown): ServerStopped {
  const how = e === null ? 'ended its answer without the report' : `broke off the connection (${brokenConnection(e)})`;
  if (!written) {
    return new ServerStopped(
      `the server at ${url} ${how} during the import, most likely because it stopped. Nothing was written: the server replaces ` +
        "a tenant's rows in one transaction and had not committed it. Check the server's log, start it again if need be, and run the import again.",
      false,
    );
  }
  return new ServerStopped(
    `the server at ${url} ${how} after it had written the import (the tenant's rows are replaced) but before it finished: the ` +
      "tenant's predicted CLV may be missing (import again, or run `npm run clv` with the server stopped). Check the server's log.",
    true,
  );
}

/** Resolves with the server's report; throws ImportFailed, ImportError (nothing was changed) or ServerStopped otherwise. */
export async function importThroughServer(options: ServerImportOptions): Promise<ImportReport> {
  const query = new URLSearchParams();
  for (const name of IMPORT_PARAMETERS) {
    const value = options.parameters[name];
    if (value !== undefined) query.set(name, value);
  }
  if (options.warehouse) query.set('warehouse', options.warehouse);
  let res: Response;
  try {
    res = await fetch(`${options.url}${IMPORT_ROUTE}?${query}`, {
      method: 'POST',
      headers: { Authorization: options.token, 'Content-Type': 'application/octet-stream' },
      body: await openAsBlob(options.file),
    });
  } catch (e) {
    const code = (e as { cause?: { code?: string } })?.cause?.code;
    if (code && !NO_SERVER.has(code)) throw serverStopped(options.url, false, e);
    throw new ImportError(
      `no server answers at ${options.url} (${(e as Error).message}): if the process holding the file is another import, run this again when it has finished; ` +
        "if it is the server, set --server to the server's address.",
    );
  }
  if (res.status !== 200 || !res.body) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new ImportError(`the server at ${options.url} refused the import (HTTP ${res.status}): ${body.error ?? res.statusText}`);
  }
  let written = false;
  let last: Extract<ImportEvent, { report: ImportReport }> | Extract<ImportEvent, { error: string }> | null = null;
  try {
    for await (const line of createInterface({ input: Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), crlfDelay: Infinity })) {
      if (!line) continue;
      const event = JSON.parse(line) as ImportEvent;
      if ('progress' in event) options.onProgress?.(event.progress, event.rows);
      else if ('log' in event) options.onLog?.(event.log);
      else if ('written' in event) {
        written = true;
        options.onWritten?.(event.written);
      } else {
        last = event;
        break;
      }
    }
  } catch (e) {
    // The server died mid-answer (undici: "TypeError: terminated"), or the answer was cut off mid-line.
    throw serverStopped(options.url, written, e);
  }
  if (!last) throw serverStopped(options.url, written, null);
  if ('error' in last) throw last.report ? new ImportFailed(last.error, last.report) : new ImportError(last.error);
  return last.report;
}
