/**
 * `npm run import -- --format online-retail|cdnow|hillstrom|orders-csv --file PATH --tenant ID [--out WAREHOUSE] [--json] …`
 * When the server holds the warehouse file (or with --server), the file is imported through it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { serverAccess } from '../../lib/serverAccess.js';
import { commandLine } from '../commandLine.js';
import { importTenant } from '../pipeline.js';
import { WarehouseError, WarehouseLocked } from '../warehouseFile.js';
import { ImportError } from './format.js';
import { ImportFailed, type ImportReport } from './importFile.js';
import { checkImportParameters, type ImportParameters } from './importParameters.js';
import { importThroughServer, ServerStopped } from './serverImport.js';

const USAGE = `Usage: npm run import -- --format FORMAT --file PATH --tenant ID [options]
  --format F          online-retail | cdnow | hillstrom | orders-csv (see README, "Bring your own data")
  --file PATH         the file to import (.gz is read as is)
  --tenant ID         tenant to load into; its rows are replaced, other tenants' rows are kept
  --out PATH          DuckDB warehouse file (default data/warehouse.duckdb; created when missing)
  --name TEXT         tenant name (default: the data set's name)
  --fiscal-year-start-month M
                      month the tenant's fiscal year starts, 1-12 (default: as before for a re-import, else 4 = April)
  --currency CODE     the tenant's money: JPY USD GBP EUR CNY KRW TWD (default: as before for a re-import, else the
                      data set's: GBP online-retail, USD cdnow and hillstrom, JPY orders-csv)
  --dormancy-days N   days without an order after which a member is dormant (churned), 30-730 (default: as before
                      for a re-import, else 180; set it near the gap 90 % of repeat purchases stay within)
  --max-rejected N    rows that cannot be read the import may leave out: a count or a share like 0.5% (default 0.1%);
                      above it nothing is imported
  --encoding E        utf-8 (default, BOM or not) | shift_jis (orders-csv from Japanese POS/EC tools)
  --columns MAP       orders-csv: the file's headers, e.g. customer_id=会員番号,order_id=伝票番号,ordered_at=購入日時,amount=金額
  --json              print {rows_read, rows_imported, rows_skipped, rows_rejected, reasons, skipped, …} as JSON
  --server URL        import through the running server at URL (default when the server holds the warehouse file:
                      http://HOST:PORT from the environment)
  --token TOKEN       admin API token for the server (default CRM_ADMIN_TOKEN, else one minted with CUBEJS_API_SECRET)`;

const cli = commandLine(USAGE, {
  format: { type: 'string' },
  file: { type: 'string' },
  tenant: { type: 'string' },
  out: { type: 'string' },
  name: { type: 'string' },
  'fiscal-year-start-month': { type: 'string' },
  currency: { type: 'string' },
  'dormancy-days': { type: 'string' },
  'max-rejected': { type: 'string' },
  encoding: { type: 'string' },
  columns: { type: 'string' },
  json: { type: 'boolean' },
  server: { type: 'string' },
  token: { type: 'string' },
});
const { values } = cli;
// Annotated so that TypeScript narrows after a call (a function that never returns).
const usageError: (message: string) => never = cli.usageError;
const text = (name: string) => values[name] as string | undefined;
const parameters: ImportParameters = {
  format: text('format'),
  tenant: text('tenant'),
  name: text('name'),
  'fiscal-year-start-month': text('fiscal-year-start-month'),
  currency: text('currency'),
  'dormancy-days': text('dormancy-days'),
  'max-rejected': text('max-rejected'),
  encoding: text('encoding'),
  columns: text('columns'),
};
const checked = (() => {
  try {
    return checkImportParameters(parameters);
  } catch (e) {
    return usageError((e as Error).message);
  }
})();
const file = text('file') ?? usageError('--file is required.');

const json = Boolean(values.json);
const started = Date.now();
let lastProgress = 0;
const warehouse = path.resolve(text('out') ?? 'data/warehouse.duckdb');

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

const onProgress = (share: number, rows: number) => {
  if (Date.now() - lastProgress < 500) return;
  lastProgress = Date.now();
  console.error(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${String(Math.round(share * 100)).padStart(3)} %  ${rows.toLocaleString('en-US')} rows read`);
};

/** The server imports the file and fits the tenant's predicted CLV itself (its log lines go to stderr). */
async function throughServer(why: string, warehouseParam?: string): Promise<{ report: ImportReport; where: string }> {
  if (!existsSync(file)) throw new ImportError(`${file} does not exist.`);
  let access;
  try {
    access = serverAccess({ server: text('server'), token: text('token') }, 'import');
  } catch (e) {
    throw new ImportError(`${why}, and ${(e as Error).message}`);
  }
  console.error(`${why}: importing through the server at ${access.url}.`);
  const onWritten = (rows: number) => console.error(`  ${rows.toLocaleString('en-US')} rows written into tenant ${checked.tenant}; the server fits its predicted CLV next.`);
  const report = await importThroughServer({ ...access, file, parameters, warehouse: warehouseParam, onProgress, onWritten, onLog: (line) => console.error(line) });
  return { report, where: `${warehouseParam ?? 'the warehouse'} through the server at ${access.url}` };
}

/** Imports into the file itself and fits the tenant's predicted CLV; the lock when another process holds the file. */
async function directly(): Promise<{ report: ImportReport; where: string } | WarehouseLocked> {
  try {
    // The imported tenant gets predicted CLV at once (stderr: --json keeps stdout to the report).
    const report = await importTenant({ ...checked, file, warehouse, onProgress }, { log: (line) => console.error(line) });
    return { report, where: warehouse };
  } catch (e) {
    if (e instanceof WarehouseLocked) return e;
    throw e;
  }
}

try {
  let outcome = text('server') ? await throughServer('--server given', text('out') && warehouse) : await directly();
  if (outcome instanceof WarehouseLocked) {
    outcome = await throughServer(`${warehouse} is held by another process${outcome.pid ? ` (PID ${outcome.pid})` : ''}, most likely the server`, warehouse);
  }
  const { report, where } = outcome;
  if (json) console.log(JSON.stringify(report));
  else {
    console.log(`Imported ${file} into tenant ${checked.tenant} of ${where} in ${report.seconds.toFixed(1)} s`);
    summary(report);
    if (report.loaded)
      console.log(
        `  warehouse: ${Object.entries(report.loaded)
          .map(([t, v]) => `${t} ${v.toLocaleString('en-US')}`)
          .join(', ')}`,
      );
  }
} catch (e) {
  if (!(e instanceof ImportFailed || e instanceof ImportError || e instanceof WarehouseError)) throw e;
  if (json) console.log(JSON.stringify({ error: e.message, ...(e instanceof ImportFailed ? e.report : {}) }));
  else {
    // A server that stopped mid-import: its message says whether the rows were written.
    console.error(e instanceof ServerStopped ? `Import failed: ${e.message}` : `Import failed: ${e.message}\nThe warehouse was not changed.`);
    if (e instanceof ImportFailed) summary(e.report);
  }
  process.exit(1);
}
