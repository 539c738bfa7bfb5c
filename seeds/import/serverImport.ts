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
  onLog?: (line: string) => void;
}

/** Resolves with the server's report; throws ImportFailed or ImportError (nothing was changed) otherwise. */
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
    throw new ImportError(
      `no server answers at ${options.url} (${(e as Error).message}): if the process holding the file is another import, run this again when it has finished; ` +
        "if it is the server, set --server to the server's address.",
    );
  }
  if (res.status !== 200 || !res.body) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new ImportError(`the server at ${options.url} refused the import (HTTP ${res.status}): ${body.error ?? res.statusText}`);
  }
  for await (const line of createInterface({ input: Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), crlfDelay: Infinity })) {
    if (!line) continue;
    const event = JSON.parse(line) as ImportEvent;
    if ('progress' in event) options.onProgress?.(event.progress, event.rows);
    else if ('log' in event) options.onLog?.(event.log);
    else if ('report' in event && !('error' in event)) return event.report;
    else if ('error' in event) throw event.report ? new ImportFailed(event.error, event.report) : new ImportError(event.error);
  }
  throw new ImportError(`the server at ${options.url} stopped answering before the import finished; check its log (an import either finished or changed nothing).`);
}
