/**
 * `npm run import -- --format online-retail|cdnow|hillstrom|orders-csv --file PATH --tenant ID [--out WAREHOUSE] [--json] …`
 */
import path from 'node:path';
import { fitEveryTenant } from '../clv/fitTenant.js';
import { commandLine } from '../commandLine.js';
import { WarehouseError } from '../warehouseFile.js';
import { ImportError } from './format.js';
import { FORMATS, ImportFailed, importFile, type FormatName, type ImportOptions, type ImportReport } from './importFile.js';
import { ORDERS_CSV_COLUMNS } from './ordersCsv.js';

const USAGE = `Usage: npm run import -- --format FORMAT --file PATH --tenant ID [options]
  --format F          online-retail | cdnow | hillstrom | orders-csv (see README, "Bring your own data")
  --file PATH         the file to import (.gz is read as is)
  --tenant ID         tenant to load into; its rows are replaced, other tenants' rows are kept
  --out PATH          DuckDB warehouse file (default data/warehouse.duckdb; created when missing)
  --name TEXT         tenant name (default: the data set's name)
  --max-rejected N    rows that cannot be read the import may leave out: a count or a share like 0.5% (default 0.1%);
                      above it nothing is imported
  --encoding E        utf-8 (default, BOM or not) | shift_jis (orders-csv from Japanese POS/EC tools)
  --columns MAP       orders-csv: the file's headers, e.g. customer_id=会員番号,order_id=伝票番号,ordered_at=購入日時,amount=金額
  --json              print {rows_read, rows_imported, rows_skipped, rows_rejected, reasons, skipped, …} as JSON`;

function parseMaxRejected(text: string | undefined): ImportOptions['maxRejected'] {
  if (text === undefined) return undefined;
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (percent) return { share: Number(percent[1]) / 100 };
  if (/^\d+$/.test(text)) return { count: Number(text) };
  usageError(`--max-rejected must be a count (100) or a share (0.5%), got "${text}".`);
}

function parseColumns(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  const map: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const [column, header] = pair.split('=').map((s) => s.trim());
    if (!(ORDERS_CSV_COLUMNS as readonly string[]).includes(column) || !header) {
      usageError(`--columns takes column=header pairs for ${ORDERS_CSV_COLUMNS.join(', ')}; got "${pair}".`);
    }
    map[column] = header;
  }
  return map;
}

const cli = commandLine(USAGE, {
  format: { type: 'string' },
  file: { type: 'string' },
  tenant: { type: 'string' },
  out: { type: 'string' },
  name: { type: 'string' },
  'max-rejected': { type: 'string' },
  encoding: { type: 'string' },
  columns: { type: 'string' },
  json: { type: 'boolean' },
});
const { values } = cli;
// Annotated so that TypeScript narrows after a call (a function that never returns).
const usageError: (message: string) => never = cli.usageError;
const format = values.format as string | undefined;
if (!format || !(format in FORMATS)) usageError(`--format must be one of ${Object.keys(FORMATS).join(', ')}${format ? `, got "${format}"` : ''}.`);
if (!values.file) usageError('--file is required.');
if (!values.tenant) usageError('--tenant is required.');
const encoding = (values.encoding as string | undefined) ?? 'utf-8';
if (encoding !== 'utf-8' && encoding !== 'shift_jis') usageError(`--encoding must be utf-8 or shift_jis, got "${encoding}".`);
if (values.columns && format !== 'orders-csv') usageError('--columns applies to --format orders-csv only.');

const json = Boolean(values.json);
const started = Date.now();
let lastProgress = 0;
const warehouse = path.resolve((values.out as string | undefined) ?? 'data/warehouse.duckdb');

const summary = (report: ImportReport) => {
  const n = (v: number) => v.toLocaleString('en-US');
  console.log(
    `  rows read     ${n(report.rows_read).padStart(10)}\n  imported      ${n(report.rows_imported).padStart(10)}\n` +
      `  skipped       ${n(report.rows_skipped).padStart(10)}\n  rejected      ${n(report.rows_rejected).padStart(10)}`,
  );
  for (const [reason, count] of Object.entries(report.skipped)) console.log(`    skipped ${n(count).padStart(8)}  ${reason}`);
  for (const { line, reason } of report.reasons.slice(0, 20)) console.log(`    line ${line}: ${reason}`);
  if (report.rows_rejected > 20) console.log(`    … ${n(report.rows_rejected - 20)} more rejected lines (--json lists up to 1,000)`);
};

try {
  const report = await importFile({
    format: format as FormatName,
    file: values.file as string,
    tenant: values.tenant as string,
    warehouse,
    tenantName: values.name as string | undefined,
    encoding,
    maxRejected: parseMaxRejected(values['max-rejected'] as string | undefined),
    columns: parseColumns(values.columns as string | undefined),
    onProgress: (share, rows) => {
      if (Date.now() - lastProgress < 500) return;
      lastProgress = Date.now();
      console.error(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${String(Math.round(share * 100)).padStart(3)} %  ${rows.toLocaleString('en-US')} rows read`);
    },
  });
  if (json) console.log(JSON.stringify(report));
  else {
    console.log(`Imported ${values.file} into tenant ${values.tenant} of ${warehouse} in ${report.seconds.toFixed(1)} s`);
    summary(report);
    if (report.loaded)
      console.log(
        `  warehouse: ${Object.entries(report.loaded)
          .map(([t, v]) => `${t} ${v.toLocaleString('en-US')}`)
          .join(', ')}`,
      );
  }
  // The imported tenant gets predicted CLV at once (stderr: --json keeps stdout to the report).
  await fitEveryTenant(warehouse, (line) => console.error(line), [values.tenant as string]);
} catch (e) {
  if (!(e instanceof ImportFailed || e instanceof ImportError || e instanceof WarehouseError)) throw e;
  if (json) console.log(JSON.stringify({ error: e.message, ...(e instanceof ImportFailed ? e.report : {}) }));
  else {
    console.error(`Import failed: ${e.message}\nThe warehouse was not changed.`);
    if (e instanceof ImportFailed) summary(e.report);
  }
  process.exit(1);
}
