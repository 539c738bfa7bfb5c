import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { generateWarehouse } from '../../seeds/generate.js';
import { tempDir } from '../support/duckdbFile.js';
import { productFilesIn, startProduct, type RunningProduct } from '../support/product.js';

const tmp = tempDir('crm-startup-steps-');
let product: RunningProduct | undefined;
afterAll(async () => {
  await product?.stop();
  tmp.remove();
});

/** A step line of `npm start`: "[10.4 s] Loading Cube…", "[10.4 s] Done loading Cube in 9.8 s.". */
const STEP = /^\[(\d+\.\d) s\] (.*)$/;

describe('npm start says what it does (issue 20 item 9)', () => {
  it('prints each step with the seconds since start, in the order it runs them, before its URL', async () => {
    const warehouse = path.join(tmp.dir, 'warehouse.duckdb');
    await generateWarehouse({ out: warehouse, customers: 200, tenants: 1, years: 1, seed: 3 });
    // The API alone (CRM_WEB=off: no web build) over a warehouse that exists (no generation), no rollup timer.
    product = await startProduct({ CRM_WAREHOUSE: warehouse, CRM_WEB: 'off', ...productFilesIn(tmp.dir) });
    const lines = product
      .output()
      .split('\n')
      .map((l) => l.match(STEP))
      .filter((m): m is RegExpMatchArray => m !== null);
    console.log(lines.map((m) => m[0]).join('\n'));
    expect(lines.map((m) => m[2].replace(/ in \d+\.\d s\.$/, ' in … s.'))).toEqual([
      'Loading the warehouse drivers…',
      'Done loading the warehouse drivers in … s.',
      'Checking the app database driver…',
      'Done checking the app database driver in … s.',
      'Loading Cube…',
      'Done loading Cube in … s.',
      'Starting Cube over the warehouse…',
      'Done starting Cube over the warehouse in … s.',
    ]);
    // The clock only moves forward, and the URL comes after the last step.
    const seconds = lines.map((m) => Number(m[1]));
    expect(seconds).toEqual([...seconds].sort((a, b) => a - b));
    expect(product.output().indexOf('running at')).toBeGreaterThan(product.output().indexOf('Done starting Cube'));
  });
});
