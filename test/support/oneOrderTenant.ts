import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fitTenant, type FitSummary } from '../../seeds/clv/fitTenant.js';
import { importFile } from '../../seeds/import/importFile.js';

/**
 * A tenant whose CLV predictions are withheld (issue 20, item 14): twelve Hillstrom customers, each
 * with the one purchase of their history; the two who converted after the e-mail bought a second
 * time, so the tenant has 2 repeat buyers, under the 30 a fit needs. Imported as `tenant` and fitted.
 */
export async function addOneOrderTenant(warehouse: string, tenant = 'hill'): Promise<FitSummary> {
  const file = path.join(path.dirname(warehouse), `${tenant}.csv`);
  const line = (i: number) => `${(i % 12) + 1},2) $100 - $200,${100 + i}.50,1,0,Urban,0,Web,${i % 2 ? 'Mens E-Mail' : 'No E-Mail'},${i < 2 ? '1,1,40.00' : '0,0,0'}`;
  writeFileSync(file, ['recency,history_segment,history,mens,womens,zip_code,newbie,channel,segment,visit,conversion,spend', ...Array.from({ length: 12 }, (_, i) => line(i))].join('\n'));
  await importFile({ format: 'hillstrom', file, tenant, warehouse });
  return fitTenant({ warehouse, tenant });
}
