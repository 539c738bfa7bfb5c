import { ADDED_COLUMNS_SQL } from '../seeds/warehouseFile.js';
import type { CrmDriver } from './warehouse.js';

/**
 * Brings a warehouse made by an older version up to the schema the model reads (the tenants'
 * fiscal year and currency): without it the board's first query fails on a missing column.
 * A warehouse the server may not alter (a read-only Postgres user) is logged, not fatal.
 */
export async function addMissingColumns(driver: CrmDriver, log: (message: string) => void): Promise<void> {
  for (const sql of ADDED_COLUMNS_SQL) {
    try {
      await driver.query(sql, []);
    } catch (e) {
      log(`[warehouse] could not run "${sql}": ${(e as Error).message.split('\n')[0]}`);
    }
  }
}
