/**
 * An import's options as text, checked against closed lists: the command line's flags, and
 * the same names in the query string of the server's import route (POST /api/admin/import),
 * so both ways in accept the same values and answer with the same messages.
 */
import { CURRENCIES, ImportError, type Currency } from './format.js';
import { FORMATS, TENANT_ID, type FormatName, type ImportOptions } from './importFile.js';
import { ORDERS_CSV_COLUMNS } from './ordersCsv.js';

export const IMPORT_PARAMETERS = ['format', 'tenant', 'name', 'fiscal-year-start-month', 'currency', 'dormancy-days', 'max-rejected', 'encoding', 'columns'] as const;
export type ImportParameters = Partial<Record<(typeof IMPORT_PARAMETERS)[number], string>>;

/** An import's options but the file and the warehouse (which each way in supplies itself). */
export type CheckedImport = Required<Pick<ImportOptions, 'format' | 'tenant' | 'encoding'>> &
  Pick<ImportOptions, 'tenantName' | 'fiscalYearStartMonth' | 'currency' | 'dormancyDays' | 'maxRejected' | 'columns'>;

/** Checks every parameter; throws ImportError naming the first one that is wrong. */
export function checkImportParameters(text: ImportParameters): CheckedImport {
  const { format, tenant } = text;
  if (!format || !Object.hasOwn(FORMATS, format)) throw new ImportError(`--format must be one of ${Object.keys(FORMATS).join(', ')}${format ? `, got "${format.slice(0, 40)}"` : ''}.`);
  if (!tenant) throw new ImportError('--tenant is required.');
  if (!TENANT_ID.test(tenant)) throw new ImportError(`--tenant must be 1-32 letters, digits, _ or -, got "${tenant.slice(0, 40)}".`);
  const encoding = text.encoding ?? 'utf-8';
  if (encoding !== 'utf-8' && encoding !== 'shift_jis') throw new ImportError(`--encoding must be utf-8 or shift_jis, got "${encoding.slice(0, 40)}".`);
  if (text.columns !== undefined && format !== 'orders-csv') throw new ImportError('--columns applies to --format orders-csv only.');
  if (text.name !== undefined && (text.name.trim() === '' || text.name.length > 200)) throw new ImportError('--name must be 1-200 characters.');
  const fiscal = text['fiscal-year-start-month'];
  if (fiscal !== undefined && !/^(?:[1-9]|1[0-2])$/.test(fiscal)) throw new ImportError(`--fiscal-year-start-month must be a month, 1 to 12 (4 = April), got "${fiscal.slice(0, 40)}".`);
  const dormancy = text['dormancy-days'];
  if (dormancy !== undefined && !(/^\d{2,3}$/.test(dormancy) && Number(dormancy) >= 30 && Number(dormancy) <= 730)) {
    throw new ImportError(`--dormancy-days must be a number of days from 30 to 730 (default 180), got "${dormancy.slice(0, 40)}".`);
  }
  const currency = text.currency;
  if (currency !== undefined && !(CURRENCIES as readonly string[]).includes(currency)) throw new ImportError(`--currency must be one of ${CURRENCIES.join(', ')}, got "${currency.slice(0, 40)}".`);
  return {
    format: format as FormatName,
    tenant,
    encoding,
    tenantName: text.name,
    fiscalYearStartMonth: fiscal === undefined ? undefined : Number(fiscal),
    currency: currency as Currency | undefined,
    dormancyDays: dormancy === undefined ? undefined : Number(dormancy),
    maxRejected: maxRejected(text['max-rejected']),
    columns: columnMap(text.columns),
  };
}

function maxRejected(text: string | undefined): ImportOptions['maxRejected'] {
  if (text === undefined) return undefined;
  const percent = /^(\d{1,3}(?:\.\d{1,6})?)%$/.exec(text);
  if (percent && Number(percent[1]) <= 100) return { share: Number(percent[1]) / 100 };
  if (/^\d{1,12}$/.test(text)) return { count: Number(text) };
  throw new ImportError(`--max-rejected must be a count (100) or a share (0.5%), got "${text.slice(0, 40)}".`);
}

function columnMap(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  const map: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const [column, header] = pair.split('=').map((s) => s.trim());
    if (!(ORDERS_CSV_COLUMNS as readonly string[]).includes(column) || !header) {
      throw new ImportError(`--columns takes column=header pairs for ${ORDERS_CSV_COLUMNS.join(', ')}; got "${pair.slice(0, 60)}".`);
    }
    map[column] = header;
  }
  return map;
}
