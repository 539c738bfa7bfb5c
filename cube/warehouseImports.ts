import { fitEveryTenant } from '../seeds/clv/fitTenant.js';
import { ImportError } from '../seeds/import/format.js';
import type { ImportEvent } from '../seeds/import/importEvents.js';
import { ImportFailed, importFile } from '../seeds/import/importFile.js';
import type { CheckedImport } from '../seeds/import/importParameters.js';
import { WarehouseError, type HeldWarehouse } from '../seeds/warehouseFile.js';

/** Another import is running; the caller answers 409. */
export class ImportBusy extends Error {
  constructor(
    /** The tenant whose import holds the slot: name it only to a token that covers it. */
    readonly tenant: string,
    seconds: number,
  ) {
    super(`An import into tenant ${tenant} is running (started ${seconds} s ago); imports run one at a time, try again when it has finished.`);
  }
}

/**
 * Imports into the warehouse the server holds, one at a time (DuckDB lets one process write
 * the file, and two imports of one tenant must not interleave). The tenant's rows are replaced
 * in one transaction (importFile), its predicted CLV is fitted again, and then the caches are
 * renewed (`afterImport`) so that no figure from before the import is served.
 */
export class WarehouseImports {
  private running: { tenant: string; since: number } | null = null;

  constructor(
    private readonly warehouse: HeldWarehouse,
    private readonly afterImport: () => Promise<void>,
    private readonly log: (message: string) => void,
  ) {}

  /** Takes the one import slot, or throws ImportBusy saying which import holds it. */
  reserve(tenant: string): () => void {
    if (this.running) {
      const seconds = Math.round((Date.now() - this.running.since) / 1000);
      throw new ImportBusy(this.running.tenant, seconds);
    }
    this.running = { tenant, since: Date.now() };
    return () => {
      this.running = null;
    };
  }

  /** Runs one import of `file`; every outcome ends with a report or an error event, never a throw. */
  async run(options: CheckedImport, file: string, requestId: string, emit: (event: ImportEvent) => void): Promise<void> {
    let report;
    try {
      report = await importFile({ ...options, file, warehouse: this.warehouse, onProgress: (share, rows) => emit({ progress: share, rows }) });
    } catch (e) {
      if (e instanceof ImportFailed) emit({ error: e.message, report: e.report });
      else if (e instanceof ImportError || e instanceof WarehouseError) emit({ error: e.message });
      else {
        // A database error: its text stays in the log; the rollback left the warehouse as it was.
        this.log(`[import ${requestId}] tenant ${options.tenant}: ${(e as Error)?.stack ?? e}`);
        emit({ error: `The import failed on the server and changed nothing (request ${requestId}; the server log has the details).` });
      }
      return;
    }
    this.log(`[import ${requestId}] tenant ${options.tenant}: ${report.rows_imported} of ${report.rows_read} rows imported in ${report.seconds.toFixed(1)} s`);
    try {
      await fitEveryTenant(this.warehouse, (line) => emit({ log: line }), [options.tenant]);
    } catch (e) {
      // The import stands; only its predictions are missing until `npm run clv` is run.
      this.log(`[import ${requestId}] CLV fit of tenant ${options.tenant}: ${(e as Error)?.stack ?? e}`);
      emit({ log: `  predicted CLV ${options.tenant}: not fitted (request ${requestId}; the server log has the details).` });
    }
    try {
      await this.afterImport();
    } catch (e) {
      this.log(`[import ${requestId}] renewing the caches: ${(e as Error)?.stack ?? e}`);
      emit({ log: `  The new rows are in, but the server could not renew its caches (request ${requestId}): figures from before may show until a restart.` });
    }
    emit({ report });
  }
}
