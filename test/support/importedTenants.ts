import path from 'node:path';
import { fitEveryTenant, fitTenant } from '../../seeds/clv/fitTenant.js';
import { importFile } from '../../seeds/import/importFile.js';
import { REPO_ROOT } from '../../cube/paths.js';

/**
 * Real data beside the generated demo tenants, as a retailer's warehouse has it after
 * `npm run seed` and `npm run import`: the demo tenants with their CLV fits (and default holdout
 * checks), the CDNOW 1/10 sample as tenant `cdnow` fitted on FHL 2005's 39-week calibration to
 * 1997-09-30 (so its check is the paper's). Like every import it has orders and members only:
 * no tiers, campaigns, inquiries or targets.
 */
export async function addImportedTenants(warehouse: string): Promise<void> {
  await fitEveryTenant(warehouse, () => {});
  await importFile({ format: 'cdnow', file: path.join(REPO_ROOT, 'test/fixtures/cdnow/cdnow_sample.txt'), tenant: 'cdnow', warehouse });
  await fitTenant({ warehouse, tenant: 'cdnow', calibrationEnd: '1997-09-30', unit: 'week' });
}
