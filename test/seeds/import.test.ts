import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportFailed, importFile, type ImportOptions } from '../../seeds/import/importFile.js';
import { checkImportParameters } from '../../seeds/import/importParameters.js';
import { generateWarehouse } from '../../seeds/generate.js';
import { WarehouseError } from '../../seeds/warehouseFile.js';
import { queryDuckDBFile, tempDir } from '../support/duckdbFile.js';

const FILES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'import-files');
const tmp = tempDir('crm-import-');
afterAll(() => tmp.remove());
let fileNo = 0;
const newWarehouse = () => path.join(tmp.dir, `w${++fileNo}.duckdb`);
const run = (o: Omit<ImportOptions, 'file'> & { file: string }) => importFile({ ...o, file: path.join(FILES, o.file) });
const rows = (warehouse: string, sql: string) => queryDuckDBFile(warehouse, sql);
const count = async (warehouse: string, sql: string) => Number(Object.values((await rows(warehouse, sql))[0])[0]);

async function failure(o: Parameters<typeof run>[0]): Promise<ImportFailed> {
  const error = await run(o).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportFailed);
  return error as ImportFailed;
}

describe('online-retail', () => {
  it('maps invoices to EC orders, reports bad lines by number, skips cancellations and adjustments', async () => {
    const warehouse = newWarehouse();
    const report = await run({ format: 'online-retail', file: 'online_retail.csv', tenant: 'uk', warehouse, maxRejected: { count: 4 } });
    expect(report).toMatchObject({ rows_read: 11, rows_imported: 5, rows_skipped: 2, rows_rejected: 4 });
    expect(report.skipped).toEqual({ 'cancellation invoice (InvoiceNo C…)': 1, 'quantity ≤ 0 (stock adjustment)': 1 });
    expect(report.reasons).toEqual([
      { line: 8, reason: 'InvoiceDate "2010-13-01 09:45:00" is not a date-time (YYYY-MM-DD HH:MM[:SS])' },
      { line: 9, reason: 'Quantity "three" is not a whole number between ±1,000,000' },
      { line: 10, reason: 'expected 8 fields, got 7' },
      { line: 11, reason: 'a quoted field is not closed on this line' },
    ]);
    expect(
      await rows(
        warehouse,
        `SELECT k.source_key AS invoice, o.channel, o.net_amount, s.region, c.source_key AS customer
      FROM orders o JOIN source_keys k ON k.entity = 'order' AND k.id = o.order_id JOIN stores s USING (store_id)
      LEFT JOIN source_keys c ON c.entity = 'customer' AND c.id = o.customer_id ORDER BY o.ordered_at`,
      ),
    ).toEqual([
      // 6 × 2.55 + 6 × 3.39; the quoted "HAND WARMER, UNION JACK" line has no CustomerID: a non-member order.
      { invoice: '536365', channel: 'ec', net_amount: '35.64', region: 'United Kingdom', customer: '17850' },
      { invoice: '536366', channel: 'ec', net_amount: '11.10', region: 'United Kingdom', customer: null },
      { invoice: '536380', channel: 'ec', net_amount: '34.80', region: 'France', customer: '17809' },
      { invoice: '536386', channel: 'ec', net_amount: '178.20', region: 'United Kingdom', customer: '16029' },
    ]);
    expect(await rows(warehouse, 'SELECT region, signup_date::VARCHAR AS signup_date, signup_channel FROM customers ORDER BY customer_id')).toEqual([
      { region: 'United Kingdom', signup_date: '2010-12-01', signup_channel: 'ec' },
      { region: 'France', signup_date: '2010-12-01', signup_channel: 'ec' },
      { region: 'United Kingdom', signup_date: '2010-12-01', signup_channel: 'ec' },
    ]);
    expect(await count(warehouse, 'SELECT count(*) FROM order_items')).toBe(5);
  });

  it('fails as a whole when more rows are bad than the policy allows, and leaves no warehouse behind', async () => {
    const warehouse = newWarehouse();
    const error = await failure({ format: 'online-retail', file: 'online_retail.csv', tenant: 'uk', warehouse });
    expect(error.message).toBe('4 of 11 rows cannot be read (the limit is 0); nothing was imported. First: line 8: InvoiceDate "2010-13-01 09:45:00" is not a date-time (YYYY-MM-DD HH:MM[:SS]).');
    expect(error.report.rows_rejected).toBe(4);
    expect(existsSync(warehouse)).toBe(false);
  });
});

describe('cdnow', () => {
  it('reads the master layout with its header; each line an order of CDs', async () => {
    const warehouse = newWarehouse();
    const report = await run({ format: 'cdnow', file: 'cdnow.txt', tenant: 'cd', warehouse, maxRejected: { share: 0.5 } });
    expect(report).toMatchObject({ rows_read: 11, rows_imported: 7, rows_skipped: 0, rows_rejected: 4 });
    expect(report.reasons).toEqual([
      { line: 8, reason: 'date "19970231" is not a date (YYYYMMDD)' },
      { line: 9, reason: 'dollar_value "twelve" is not an amount ≥ 0 and under 1,000,000,000,000' },
      { line: 10, reason: 'expected 4 fields (customer, date, CDs, dollars) or 5 (with the sample id), got 2' },
      { line: 11, reason: 'number_of_cds "-2" is not a whole number from 0 to 1,000,000' },
    ]);
    expect(
      await rows(
        warehouse,
        `SELECT k.source_key AS customer, count(*) AS orders, sum(o.net_amount) AS dollars, sum(i.quantity) AS cds
      FROM orders o JOIN order_items i USING (order_id) JOIN source_keys k ON k.entity = 'customer' AND k.id = o.customer_id GROUP BY 1 ORDER BY 1`,
      ),
    ).toEqual([
      { customer: '1', orders: '1', dollars: '11.77', cds: '1' },
      { customer: '2', orders: '2', dollars: '89.00', cds: '6' },
      { customer: '3', orders: '3', dollars: '61.06', cds: '6' },
      { customer: '8', orders: '1', dollars: '39.99', cds: '3' },
    ]);
  });
});

describe('hillstrom', () => {
  it('makes two e-mail campaigns sharing the no-e-mail arm as control; a conversion is an order inside the window', async () => {
    const warehouse = newWarehouse();
    const report = await run({ format: 'hillstrom', file: 'hillstrom.csv', tenant: 'hs', warehouse, maxRejected: { count: 4 } });
    expect(report).toMatchObject({ rows_read: 11, rows_imported: 7, rows_rejected: 4 });
    expect(report.reasons).toEqual([
      { line: 8, reason: 'recency "13" is not a number of months from 1 to 12' },
      { line: 9, reason: 'zip_code "Downtown" is not Urban, Suburban or Rural' },
      { line: 10, reason: 'segment "Men E-Mail" is not Mens E-Mail, Womens E-Mail or No E-Mail' },
      { line: 11, reason: 'history "abc" is not an amount ≥ 0 and under 1,000,000,000,000' },
    ]);
    // The model's campaign_results definition, in plain SQL.
    expect(
      await rows(
        warehouse,
        `SELECT c.name, m.group_name, count(*) AS members,
        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = m.customer_id AND o.ordered_at > m.assigned_at
          AND CAST(o.ordered_at AS DATE) <= CAST(m.assigned_at AS DATE) + c.attribution_days)) AS converted
      FROM campaign_members m JOIN campaigns c USING (campaign_id) GROUP BY 1, 2 ORDER BY 1, 2`,
      ),
    ).toEqual([
      { name: 'Mens E-Mail (Hillstrom)', group_name: 'control', members: '2', converted: '0' },
      { name: 'Mens E-Mail (Hillstrom)', group_name: 'treatment', members: '1', converted: '1' },
      { name: 'Womens E-Mail (Hillstrom)', group_name: 'control', members: '2', converted: '0' },
      { name: 'Womens E-Mail (Hillstrom)', group_name: 'treatment', members: '4', converted: '1' },
    ]);
    expect(
      await rows(
        warehouse,
        `SELECT region, signup_channel, (SELECT list(net_amount::VARCHAR ORDER BY ordered_at) FROM orders o WHERE o.customer_id = c.customer_id) AS amounts
      FROM customers c JOIN source_keys k ON k.entity = 'customer' AND k.id = c.customer_id WHERE k.source_key IN ('1', '4') ORDER BY k.source_key`,
      ),
    ).toEqual([
      { region: 'Suburban', signup_channel: 'store', amounts: ['142.44'] },
      { region: 'Rural', signup_channel: 'ec', amounts: ['675.83', '49.10'] },
    ]);
  });
});

describe('orders-csv', () => {
  it('groups lines into orders; non-members, slashes in dates, quoted thousands and a yen sign', async () => {
    const warehouse = newWarehouse();
    const report = await run({ format: 'orders-csv', file: 'orders.csv', tenant: 'pos', warehouse, maxRejected: { count: 5 } });
    expect(report).toMatchObject({ rows_read: 11, rows_imported: 6, rows_rejected: 5 });
    expect(report.reasons).toEqual([
      { line: 7, reason: 'ordered_at "2024-04-31 09:00:00" is not a date-time (YYYY-MM-DD HH:MM[:SS])' },
      { line: 8, reason: 'expected 8 fields as in the header, got 9 (an unquoted "," in a value?)' },
      { line: 9, reason: 'order_id is empty' },
      { line: 10, reason: 'channel "phone" is not store, ec or app' },
      { line: 11, reason: 'amount "abc" is not a number between ±1,000,000,000,000' },
    ]);
    expect(
      await rows(
        warehouse,
        `SELECT k.source_key AS order_no, o.ordered_at::VARCHAR AS ordered_at, o.net_amount, o.channel, s.name AS store,
        (SELECT count(*) FROM order_items i WHERE i.order_id = o.order_id) AS lines
      FROM orders o JOIN source_keys k ON k.entity = 'order' AND k.id = o.order_id JOIN stores s USING (store_id) ORDER BY o.ordered_at`,
      ),
    ).toEqual([
      { order_no: 'R-1001', ordered_at: '2024-04-01 10:15:00', net_amount: '4500.00', channel: 'store', store: 'Shibuya', lines: '2' },
      { order_no: 'R-1002', ordered_at: '2024-04-01 11:00:00', net_amount: '980.00', channel: 'store', store: 'Shibuya', lines: '1' },
      { order_no: 'W-2001', ordered_at: '2024-04-02 21:30:05', net_amount: '5400.00', channel: 'ec', store: 'Imported store', lines: '1' },
      { order_no: 'R-1003', ordered_at: '2024-04-20 00:00:00', net_amount: '2200.00', channel: 'app', store: 'Imported store', lines: '1' },
      { order_no: 'R-1008', ordered_at: '2024-05-03 12:00:00', net_amount: '1980.00', channel: 'ec', store: 'Imported store', lines: '1' },
    ]);
  });

  it('rejects an amount or quantity beyond what the warehouse stores by its line number, and imports the rest', async () => {
    const warehouse = newWarehouse();
    const file = path.join(tmp.dir, `huge-${++fileNo}.csv`);
    // Money is DECIMAL(18,2) and quantities INTEGER: these used to fail the whole import with a database error.
    writeFileSync(file, 'customer_id,order_id,ordered_at,amount,quantity\nM1,1,2024-01-01,100000000000000000,1\nM1,2,2024-01-02,100,10000000000\nM2,3,2024-01-03,1500,2\n');
    const report = await importFile({ format: 'orders-csv', file, tenant: 'pos', warehouse, maxRejected: { count: 2 } });
    expect(report).toMatchObject({ rows_read: 3, rows_imported: 1, rows_rejected: 2 });
    expect(report.reasons).toEqual([
      { line: 2, reason: 'amount "100000000000000000" is not a number between ±1,000,000,000,000' },
      { line: 3, reason: 'quantity "10000000000" is not a whole number between ±1,000,000' },
    ]);
    expect(await rows(warehouse, 'SELECT net_amount FROM orders')).toEqual([{ net_amount: '1500.00' }]);
  });

  it('reads Shift_JIS, tab-separated files with Japanese headers named by --columns', async () => {
    const warehouse = newWarehouse();
    // 会員番号 伝票番号 購入日時 金額 店舗 in CP932, as Japanese POS back offices export them.
    const report = await run({
      format: 'orders-csv',
      file: 'orders-sjis.tsv',
      tenant: 'jp',
      warehouse,
      encoding: 'shift_jis',
      columns: { customer_id: '会員番号', order_id: '伝票番号', ordered_at: '購入日時', amount: '金額', store: '店舗' },
    });
    expect(report).toMatchObject({ rows_read: 1, rows_imported: 1, rows_rejected: 0 });
    expect(await rows(warehouse, 'SELECT s.name, o.net_amount FROM orders o JOIN stores s USING (store_id)')).toEqual([{ name: '渋谷店', net_amount: '1500.00' }]);
  });

  it('names missing columns, a wrong delimiter and an empty file, and writes nothing', async () => {
    const warehouse = newWarehouse();
    const cases: [string, string][] = [
      [
        'customer_id;order_id;ordered_at;amount\nM1;1;2024-01-01;100\n',
        'Line 1 (the header) lacks the columns customer_id, order_id, ordered_at, amount; it has "customer_id;order_id;ordered_at;amount"',
      ],
      ['customer_id,order_id,amount\nM1,1,100\n', 'Line 1 (the header) lacks the column ordered_at; it has "customer_id,order_id,amount"'],
      ['', 'The file is empty.'],
      ['customer_id,order_id,ordered_at,amount\n', 'The file has a header but no data rows.'],
    ];
    for (const [text, message] of cases) {
      const file = path.join(tmp.dir, `bad-${++fileNo}.csv`);
      writeFileSync(file, text);
      const error = await importFile({ format: 'orders-csv', file, tenant: 'pos', warehouse }).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).toContain(message);
      expect(existsSync(warehouse)).toBe(false);
    }
  });
});

describe('beside other tenants', () => {
  it('keeps the other tenants, replaces its own rows on re-import, and a failed import changes nothing', async () => {
    const warehouse = newWarehouse();
    await generateWarehouse({ out: warehouse, customers: 300, years: 1 });
    const snapshot = () => rows(warehouse, 'SELECT tenant_id, count(*) AS orders, sum(net_amount) AS revenue FROM orders GROUP BY 1 ORDER BY 1');
    const demo = await snapshot();
    await run({ format: 'cdnow', file: 'cdnow.txt', tenant: 'cd', warehouse, maxRejected: { count: 4 } });
    await run({ format: 'cdnow', file: 'cdnow.txt', tenant: 'cd', warehouse, maxRejected: { count: 4 } });
    const after = await snapshot();
    expect(after).toEqual([{ tenant_id: 'cd', orders: '7', revenue: '201.82' }, ...demo]);
    expect(await count(warehouse, "SELECT count(*) FROM source_keys WHERE tenant_id = 'cd' AND entity = 'customer'")).toBe(4);
    // Too many bad rows: the tenant keeps its previous import.
    await failure({ format: 'cdnow', file: 'cdnow.txt', tenant: 'cd', warehouse });
    expect(await snapshot()).toEqual(after);
  });

  it("starts an imported tenant's fiscal year in April unless told, and keeps what it was told on a re-import", async () => {
    const warehouse = newWarehouse();
    const fiscalStart = () => count(warehouse, "SELECT fiscal_year_start_month FROM tenants WHERE tenant_id = 'cd'");
    await run({ format: 'cdnow', file: 'cdnow.txt', tenant: 'cd', warehouse, maxRejected: { count: 4 } });
    expect(await fiscalStart()).toBe(4);
    await run({ format: 'cdnow', file: 'cdnow.txt', tenant: 'cd', warehouse, maxRejected: { count: 4 }, fiscalYearStartMonth: 3 });
    expect(await fiscalStart()).toBe(3);
    await run({ format: 'cdnow', file: 'cdnow.txt', tenant: 'cd', warehouse, maxRejected: { count: 4 } });
    expect(await fiscalStart()).toBe(3);
    expect(() => checkImportParameters({ format: 'cdnow', tenant: 'cd', 'fiscal-year-start-month': '13' })).toThrow('--fiscal-year-start-month must be a month, 1 to 12 (4 = April), got "13".');
    expect(checkImportParameters({ format: 'cdnow', tenant: 'cd', 'fiscal-year-start-month': '9' }).fiscalYearStartMonth).toBe(9);
  });

  it("gives an imported tenant its data set's currency, --currency overrides it, a re-import keeps it", async () => {
    const warehouse = newWarehouse();
    const currency = async () => Object.values((await rows(warehouse, "SELECT currency FROM tenants WHERE tenant_id = 'cd'"))[0])[0];
    await run({ format: 'cdnow', file: 'cdnow.txt', tenant: 'cd', warehouse, maxRejected: { count: 4 } });
    expect(await currency()).toBe('USD');
    // The checked parameters, as the CLI and the server's import route pass them on.
    await run({ ...checkImportParameters({ format: 'cdnow', tenant: 'cd', currency: 'EUR' }), file: 'cdnow.txt', warehouse, maxRejected: { count: 4 } });
    expect(await currency()).toBe('EUR');
    await run({ format: 'cdnow', file: 'cdnow.txt', tenant: 'cd', warehouse, maxRejected: { count: 4 } });
    expect(await currency()).toBe('EUR');
    expect(() => checkImportParameters({ format: 'cdnow', tenant: 'cd', currency: 'usd' })).toThrow('--currency must be one of JPY, USD, GBP, EUR, CNY, KRW, TWD, got "usd".');
  });

  it('says what to do when another process (the server) holds the warehouse', async () => {
    const warehouse = newWarehouse();
    await run({ format: 'cdnow', file: 'cdnow.txt', tenant: 'cd', warehouse, maxRejected: { count: 4 } });
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `require('@duckdb/node-api').DuckDBInstance.create(${JSON.stringify(warehouse)})
      .then(() => { process.stdout.write('open'); setInterval(() => {}, 1000); })`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await once(holder.stdout!, 'data');
      const error = await run({ format: 'cdnow', file: 'cdnow.txt', tenant: 'cd', warehouse }).then(
        () => null,
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(WarehouseError);
      expect(error!.message).toMatch(new RegExp(`open in another process \\(PID ${holder.pid}\\).*stop the server, run this again`));
    } finally {
      holder.kill();
    }
  });
});
