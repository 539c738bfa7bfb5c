/**
 * One import, all or nothing: the file is read into the staging area line by line, each data
 * row imported, skipped (by the format's mapping) or rejected (cannot be parsed). When the
 * rejected rows stay within the policy's limit the tenant's rows are replaced in one
 * transaction; otherwise, or on any error, the warehouse is left exactly as it was.
 */
import { existsSync } from 'node:fs';
import { openTarget, type WarehouseTarget } from '../warehouseFile.js';
import { cdnow } from './cdnow.js';
import { ImportError, type Currency, type FormatOptions, type ImportFormat } from './format.js';
import { hillstrom } from './hillstrom.js';
import { replaceTenant, type LoadedRows } from './load.js';
import { onlineRetail } from './onlineRetail.js';
import { ordersCsv } from './ordersCsv.js';
import { Staging } from './staging.js';
import { readLines, type TextEncoding } from './textLines.js';

export const FORMATS = { 'online-retail': onlineRetail, cdnow, hillstrom, 'orders-csv': ordersCsv } satisfies Record<string, ImportFormat>;
export type FormatName = keyof typeof FORMATS;

/** Tenant ids travel in tokens and URLs: letters, digits, `_` and `-` only. */
export const TENANT_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** Rejections shown in a report; the counts always cover all of them. */
const REASONS_SHOWN = 1000;

export interface ImportOptions extends FormatOptions {
  format: FormatName;
  file: string;
  tenant: string;
  /** The DuckDB file (created when missing), or the warehouse the server holds. */
  warehouse: WarehouseTarget;
  tenantName?: string;
  /** The month the tenant's fiscal year starts (1-12); default: what the tenant had, else April. */
  fiscalYearStartMonth?: number;
  /** The tenant's currency; default: what the tenant had, else the format's (GBP for Online Retail). */
  currency?: Currency;
  /** Days without an order after which a member is dormant; default: what the tenant had, else 180. */
  dormancyDays?: number;
  encoding?: TextEncoding;
  /**
   * How many rejected rows an import may leave out and still load the rest: a count, or a
   * share of the data rows (default 0.001, one row in a thousand). Above it nothing is written.
   */
  maxRejected?: { count: number } | { share: number };
  onProgress?: (share: number, rowsRead: number) => void;
}

export interface ImportReport {
  rows_read: number;
  rows_imported: number;
  rows_skipped: number;
  rows_rejected: number;
  /** Rejected rows by line (the first REASONS_SHOWN). */
  reasons: { line: number; reason: string }[];
  /** Skipped rows counted by reason. */
  skipped: Record<string, number>;
  loaded: LoadedRows | null;
  seconds: number;
}

/** The import failed and wrote nothing; the report says how far reading got. */
export class ImportFailed extends Error {
  constructor(
    message: string,
    readonly report: ImportReport,
  ) {
    super(message);
  }
}

export async function importFile(options: ImportOptions): Promise<ImportReport> {
  const started = Date.now();
  if (!TENANT_ID.test(options.tenant)) throw new ImportError(`--tenant must be 1-32 letters, digits, _ or -, got "${options.tenant}".`);
  if (!existsSync(options.file)) throw new ImportError(`${options.file} does not exist.`);
  const format = FORMATS[options.format];
  const reader = format.reader(options);
  const report: ImportReport = { rows_read: 0, rows_imported: 0, rows_skipped: 0, rows_rejected: 0, reasons: [], skipped: {}, loaded: null, seconds: 0 };
  const warehouse = await openTarget(options.warehouse);
  try {
    const stage = await Staging.create(warehouse.connection);
    let sawHeader = false;
    for await (const { line, text } of readLines(options.file, options.encoding ?? 'utf-8', (share) => options.onProgress?.(share, report.rows_read))) {
      if (line === 1) {
        const fields = reader.split(text);
        if (text.trim() === '') throw new ImportError('Line 1 is empty: the file has no header and no data.');
        sawHeader = fields !== null && reader.header(fields);
        if (sawHeader) continue;
      }
      if (text.trim() === '') continue;
      report.rows_read += 1;
      const fields = reader.split(text);
      const outcome = fields === null ? { kind: 'rejected' as const, reason: 'a quoted field is not closed on this line' } : reader.row(fields, line, stage);
      if (outcome.kind === 'imported') report.rows_imported += 1;
      else if (outcome.kind === 'skipped') {
        report.rows_skipped += 1;
        report.skipped[outcome.reason] = (report.skipped[outcome.reason] ?? 0) + 1;
      } else {
        report.rows_rejected += 1;
        if (report.reasons.length < REASONS_SHOWN) report.reasons.push({ line, reason: outcome.reason });
      }
    }
    if (report.rows_read === 0) throw new ImportError(sawHeader ? 'The file has a header but no data rows.' : 'The file is empty.');
    const limit = rejectionLimit(options.maxRejected ?? { share: 0.001 }, report.rows_read);
    if (report.rows_rejected > limit) {
      throw new ImportFailed(
        `${report.rows_rejected.toLocaleString('en-US')} of ${report.rows_read.toLocaleString('en-US')} rows cannot be read ` +
          `(the limit is ${limit.toLocaleString('en-US')}); nothing was imported. First: line ${report.reasons[0].line}: ${report.reasons[0].reason}.`,
        report,
      );
    }
    if (report.rows_imported === 0) throw new ImportFailed('No row of the file can be imported; nothing was imported.', report);
    reader.finish?.(stage);
    await stage.finish();
    report.loaded = await replaceTenant(warehouse.connection, options.tenant, options.tenantName ?? format.defaultTenantName, {
      fiscalYearStartMonth: options.fiscalYearStartMonth,
      currency: options.currency,
      dormancyDays: options.dormancyDays,
      defaultCurrency: format.currency,
    });
    await warehouse.checkpoint();
    warehouse.close();
  } catch (e) {
    warehouse.discard();
    if (e instanceof ImportError) throw new ImportFailed(e.message, { ...report, seconds: (Date.now() - started) / 1000 });
    throw e;
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

function rejectionLimit(policy: NonNullable<ImportOptions['maxRejected']>, rows: number): number {
  return 'count' in policy ? policy.count : Math.floor(policy.share * rows);
}
