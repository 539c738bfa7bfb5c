import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { queryDuckDBFile, tempDir } from '../support/duckdbFile.js';

// The real UCI Online Retail file (541,909 lines) from the shared data sets, when this checkout has them.
const FILE = path.resolve('../shared/datasets/online_retail.csv.gz');
const tmp = tempDir('crm-retail-');
afterAll(() => tmp.remove());

describe.skipIf(!existsSync(FILE))('npm run import of the UCI Online Retail file', () => {
  if (!existsSync(FILE)) console.warn(`${FILE} is not here: the Online Retail import test is skipped.`);

  it('accounts for all 541,909 lines, and the imported revenue equals DuckDB reading the file itself', async () => {
    const warehouse = path.join(tmp.dir, 'retail.duckdb');
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'seeds/import/cli.ts', '--format', 'online-retail', '--file', FILE, '--tenant', 'uk', '--out', warehouse, '--json']);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ rows_read: 541_909, rows_imported: 530_104, rows_skipped: 11_805, rows_rejected: 0, reasons: [] });
    expect(report.rows_imported + report.rows_skipped + report.rows_rejected).toBe(541_909);
    // 9,288 cancellation lines, as the data set's README counts them.
    expect(report.skipped['cancellation invoice (InvoiceNo C…)']).toBe(9_288);
    const [expected] = await queryDuckDBFile(
      warehouse,
      `
      SELECT count(DISTINCT InvoiceNo) AS orders, count(DISTINCT CustomerID) AS customers, sum(round(Quantity * UnitPrice, 2))::DECIMAL(18,2) AS revenue
      FROM read_csv('${FILE}', header = true, all_varchar = false, types = {'CustomerID': 'DOUBLE', 'InvoiceNo': 'VARCHAR'})
      WHERE NOT starts_with(InvoiceNo, 'C') AND Quantity > 0 AND UnitPrice > 0`,
    );
    const [imported] = await queryDuckDBFile(
      warehouse,
      `
      SELECT count(*) AS orders, count(DISTINCT customer_id) AS customers, sum(net_amount) AS revenue FROM orders WHERE tenant_id = 'uk'`,
    );
    expect(imported).toEqual(expected);
  }, 120_000);
});
