/**
 * What the server's import route (POST /api/admin/import) streams back while it imports: one
 * JSON object a line (NDJSON), ending with the report or the error. `npm run import` prints them
 * as it prints a local import's progress and summary.
 */
import type { ImportReport } from './importFile.js';

export const IMPORT_ROUTE = '/api/admin/import';

export type ImportEvent =
  /** Share of the file read, and the data rows read so far. */
  | { progress: number; rows: number }
  /** The tenant's rows are replaced (committed); the CLV fit and the caches' renewal follow. */
  | { written: number }
  /** A line of the CLV fit's log. */
  | { log: string }
  | { report: ImportReport }
  /** Nothing was changed; `report` says how far reading got when the file was at fault. */
  | { error: string; report?: ImportReport };
