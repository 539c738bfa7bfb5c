/**
 * Data in, the one way every entry takes it (`npm run seed`, `npm run import`, the demo warehouse
 * of a first `npm start`, an import the server receives): load the rows into the warehouse (one
 * transaction), fit the predicted CLV of the tenants they changed, then mark the new data version
 * so that nothing computed from the old rows is served. Callers say how each step is done; the
 * order, and what a failed fit means, are written here only.
 */
import { fitEveryTenant } from './clv/fitTenant.js';
import { generateWarehouse, type GenerateOptions, type GenerateSummary } from './generate.js';
import { importFile, type ImportOptions, type ImportReport } from './import/importFile.js';
import type { WarehouseTarget } from './warehouseFile.js';

export interface DataIn<Loaded> {
  warehouse: WarehouseTarget;
  /** Writes the rows; they are committed when it resolves. */
  load: () => Promise<Loaded>;
  /** The tenants whose rows changed (their CLV is refitted); undefined: every tenant. */
  tenants?: string[];
  /** One line per tenant fitted. */
  log: (line: string) => void;
  /** The rows are committed: from here on a caller that loses the process must not say that nothing was written. */
  onWritten?: (loaded: Loaded) => void;
  /**
   * Makes the new rows what is served. A write's own transaction already leaves the
   * rollups_outdated marker that a server finds at its next start (warehouseFile.ts); a server
   * holding the warehouse renews its caches here, a seed into Postgres copies the file there.
   */
  markDataVersion?: () => Promise<void>;
  /**
   * Rows committed, a later step failed: by default the error is thrown; a caller whose rows
   * must stand (the server's import) reports it here and the pipeline goes on.
   */
  onStepFailed?: (step: 'fit' | 'mark', error: unknown) => void;
}

export async function runDataIn<Loaded>(steps: DataIn<Loaded>): Promise<Loaded> {
  const loaded = await steps.load();
  steps.onWritten?.(loaded);
  await step(steps, 'fit', () => fitEveryTenant(steps.warehouse, steps.log, steps.tenants));
  if (steps.markDataVersion) await step(steps, 'mark', steps.markDataVersion);
  return loaded;
}

async function step(steps: Pick<DataIn<unknown>, 'onStepFailed'>, name: 'fit' | 'mark', run: () => Promise<void>): Promise<void> {
  if (!steps.onStepFailed) return run();
  try {
    await run();
  } catch (e) {
    steps.onStepFailed(name, e);
  }
}

/** The demo warehouse (or one of another size): generated, then every tenant fitted (`onWritten`: the rows are in, the fit starts). */
export function seedWarehouse(
  options: GenerateOptions & { out: string },
  log: (line: string) => void,
  markDataVersion?: () => Promise<void>,
  onWritten?: (summary: GenerateSummary) => void,
): Promise<GenerateSummary> {
  return runDataIn({ warehouse: options.out, load: () => generateWarehouse(options), log, markDataVersion, onWritten });
}

/** One tenant's rows from a file: imported (replacing that tenant's rows), then that tenant fitted. */
export function importTenant(options: ImportOptions, steps: Omit<DataIn<ImportReport>, 'warehouse' | 'load' | 'tenants'>): Promise<ImportReport> {
  return runDataIn({ ...steps, warehouse: options.warehouse, load: () => importFile(options), tenants: [options.tenant] });
}
