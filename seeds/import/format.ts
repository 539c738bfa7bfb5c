/**
 * What every import format provides: how a line splits into fields, what its header must be,
 * and how one data row maps into the staging area (or why it is skipped or rejected).
 */
import type { Staging } from './staging.js';

/** A file that cannot be imported at all (empty, wrong header, wrong delimiter): nothing is written. */
export class ImportError extends Error {}

/**
 * `imported`: the row went into the staging area. `skipped`: the row parsed but the format's
 * mapping deliberately leaves it out (an Online Retail cancellation); counted by reason.
 * `rejected`: the row cannot be parsed; reported with its line number and reason.
 */
export type RowOutcome = { kind: 'imported' } | { kind: 'skipped'; reason: string } | { kind: 'rejected'; reason: string };

export const IMPORTED: RowOutcome = { kind: 'imported' };
export const skipped = (reason: string): RowOutcome => ({ kind: 'skipped', reason });
export const rejected = (reason: string): RowOutcome => ({ kind: 'rejected', reason });

export interface FormatReader {
  /** The fields of one line, or null when the line cannot be split (an unclosed quote). */
  split(text: string): string[] | null;
  /**
   * Looks at the first line: true when it is a header (not data). Throws ImportError when the
   * layout is not the format's (missing columns, wrong delimiter).
   */
  header(fields: string[]): boolean;
  row(fields: string[], line: number, stage: Staging): RowOutcome;
  /** Stages what the whole file implies once read (Hillstrom's two campaigns). */
  finish?(stage: Staging): void;
}

/**
 * The currencies a tenant's money may be in (ISO 4217), a closed list so a typo is refused at
 * import rather than shown as an unknown code on every page. The warehouse stores amounts as
 * given; `tenants.currency` says which money they are.
 */
export const CURRENCIES = ['JPY', 'USD', 'GBP', 'EUR', 'CNY', 'KRW', 'TWD'] as const;
export type Currency = (typeof CURRENCIES)[number];

export interface ImportFormat {
  /** Tenant name when --name is not given. */
  defaultTenantName: string;
  /** The data set's currency when --currency is not given and the tenant is new. */
  currency: Currency;
  /** A reader for one file; options come from the command line (orders-csv's column map). */
  reader(options: FormatOptions): FormatReader;
}

export interface FormatOptions {
  /** orders-csv: the file's own header for each of its columns (`customer_id=会員番号,…`). */
  columns?: Record<string, string>;
}

/** Requires the header to list `expected` exactly (in order); names what is missing or extra. */
export function requireHeader(format: string, fields: string[], expected: readonly string[]): void {
  const got = fields.map((f) => f.trim());
  if (got.length === expected.length && got.every((f, i) => f === expected[i])) return;
  const missing = expected.filter((c) => !got.includes(c));
  throw new ImportError(
    `Line 1 is not the ${format} header: expected ${expected.length} columns "${expected.join(',')}", ` +
      `got ${got.length} (${got.slice(0, 12).join(',').slice(0, 200)})${missing.length ? `; missing ${missing.join(', ')}` : ''}` +
      (got.length === 1 && expected.length > 1 ? ' (is the file separated by another character?)' : '') +
      '.',
  );
}

/** "Column X: text" reasons read the same across formats. */
export const badValue = (column: string, text: string, what: string) => `${column} "${text.slice(0, 60)}" is not ${what}`;
