/**
 * Data in, timed: the UCI Online Retail file (541,909 lines; read from ../shared/datasets when it
 * exists) imported into a running server, through POST /api/admin/import as `npm run import`
 * sends it, against the same import straight into the file with the server stopped; and the
 * predicted-CLV fit (read the history with SQL, fit, write the predictions) of a generated
 * warehouse at 100,000 customers against 10,000. Each import includes the tenant's CLV fit, as
 * both paths run it. One run each: a run takes seconds to a minute. Returns the lines to print,
 * each figure beside its peer and the ratio (peer / own: above 1, own is faster).
 */
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { signApiToken } from '../../cube/auth/tokens.js';
import { REPO_ROOT } from '../../cube/paths.js';
import { startServer } from '../../cube/server.js';
import { fitEveryTenant, fitTenant } from '../../seeds/clv/fitTenant.js';
import { generateWarehouse } from '../../seeds/generate.js';
import { importFile, type ImportReport } from '../../seeds/import/importFile.js';
import { importThroughServer } from '../../seeds/import/serverImport.js';
import { TEST_SECRET } from '../support/apiClient.js';
import { tempDir } from '../support/duckdbFile.js';

export const ONLINE_RETAIL = path.resolve(REPO_ROOT, '..', 'shared', 'datasets', 'online_retail.csv.gz');

export interface ImportBenchOptions {
  /** The Online Retail file; the import figures are left out (and say so) when it is missing. */
  onlineRetail?: string;
  /** Customers of the warehouse the CLV fit is timed on (default 100,000), against 10,000. */
  fitCustomers?: number;
  /** The CLV fit's lines as the imports print them. */
  log?: (line: string) => void;
}

const seconds = (since: number) => (performance.now() - since) / 1000;

const ratio = (peer: number, own: number) => `x${(peer / own).toFixed(2)}`;

export async function importBenchmark({ onlineRetail = ONLINE_RETAIL, fitCustomers = 100_000, log = () => {} }: ImportBenchOptions = {}): Promise<string[]> {
  const tmp = tempDir('crm-import-bench-');
  try {
    const imports = existsSync(onlineRetail)
      ? await onlineRetailImport(onlineRetail, tmp.dir, log)
      : [`Online Retail import not timed: ${onlineRetail} does not exist (the data sets are in ../shared/datasets on the development machine).`];
    return [...imports, ...(await clvFit(fitCustomers, tmp.dir))];
  } finally {
    tmp.remove();
  }
}

async function onlineRetailImport(file: string, dir: string, log: (line: string) => void): Promise<string[]> {
  // The same small demo warehouse under both imports: the import adds a tenant beside it.
  const base = path.join(dir, 'base.duckdb');
  await generateWarehouse({ out: base, customers: 2_000 });
  const parameters = { format: 'online-retail', tenant: 'uk' } as const;
  const summary = (r: ImportReport) => `${r.rows_read.toLocaleString('en-US')} lines read, ${r.rows_imported.toLocaleString('en-US')} imported`;

  const direct = path.join(dir, 'direct.duckdb');
  copyFileSync(base, direct);
  let started = performance.now();
  const directReport = await importFile({ ...parameters, file, warehouse: direct });
  await fitEveryTenant(direct, log, ['uk']);
  const directSeconds = seconds(started);

  const served = path.join(dir, 'served.duckdb');
  copyFileSync(base, served);
  const server = await startServer({ warehouse: served, apiSecret: TEST_SECRET, port: 0, webDist: null, refreshIntervalSeconds: 0 });
  let serverReport: ImportReport;
  let serverSeconds: number;
  try {
    started = performance.now();
    const token = signApiToken(TEST_SECRET, { tenant_id: '*', role: 'admin', sub: 'bench' }, '10m');
    serverReport = await importThroughServer({ url: server.url, token, file, parameters, onLog: log });
    serverSeconds = seconds(started);
  } finally {
    await server.close();
  }
  if (serverReport.rows_imported !== directReport.rows_imported) throw new Error(`The server imported ${summary(serverReport)}; directly: ${summary(directReport)}.`);
  return [
    `Online Retail (${summary(serverReport)}), CLV fit included: through the running server ${serverSeconds.toFixed(1)} s, ` +
      `directly into the file ${directSeconds.toFixed(1)} s, ${ratio(directSeconds, serverSeconds)}`,
    `  the import alone (the report's seconds): ${serverReport.seconds.toFixed(1)} s in the server, ${directReport.seconds.toFixed(1)} s directly, ${ratio(directReport.seconds, serverReport.seconds)}`,
  ];
}

/** fitTenant for every tenant of a generated warehouse, timed (history SQL, fit, predictions written). */
async function timedFit(customers: number, dir: string): Promise<{ seconds: number; members: number }> {
  const warehouse = path.join(dir, `fit-${customers}.duckdb`);
  await generateWarehouse({ out: warehouse, customers });
  const started = performance.now();
  let members = 0;
  for (const tenant of ['t01', 't02']) members += (await fitTenant({ warehouse, tenant })).customers;
  return { seconds: seconds(started), members };
}

async function clvFit(customers: number, dir: string): Promise<string[]> {
  const baseline = await timedFit(10_000, dir);
  const own = await timedFit(customers, dir);
  // Per 1,000 buying members: a ratio near 1 means the fit's time grows linearly.
  const per1000 = (f: typeof own) => (f.seconds / f.members) * 1000 * 1000;
  const line = (n: number, f: typeof own) =>
    `${n.toLocaleString('en-US')} customers (${f.members.toLocaleString('en-US')} buying members) ${f.seconds.toFixed(1)} s, ${per1000(f).toFixed(0)} ms per 1,000 members`;
  return [`Predicted CLV fit of both tenants (history SQL, fit, predictions written): ${line(customers, own)}; ${line(10_000, baseline)}; per-member time ${ratio(per1000(baseline), per1000(own))}`];
}

// `npx tsx test/bench/importBench.ts`: the same figures without the rest of `npm run bench`.
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await importBenchmark({ log: (line) => console.error(line) })) console.log(line);
}
