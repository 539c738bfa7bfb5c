import { ImportError } from '../seeds/import/format.js';
import type { ImportEvent } from '../seeds/import/importEvents.js';
import { ImportFailed } from '../seeds/import/importFile.js';
import type { CheckedImport } from '../seeds/import/importParameters.js';
import { importTenant } from '../seeds/pipeline.js';
import { WarehouseError, type HeldWarehouse } from '../seeds/warehouseFile.js';

/** An import into the same tenant is running or being received; the caller answers 409. */
export class ImportBusy extends Error {
  constructor(
    /** The tenant whose import holds the slot: name it only to a token that covers it. */
    readonly tenant: string,
    seconds: number,
  ) {
    super(`An import into tenant ${tenant} is running (started ${seconds} s ago); imports run one at a time, try again when it has finished.`);
  }
}

/** The warehouse file is gone, replaced or not writable (warehouseFileCheck.ts); the caller answers 503. */
export class WarehouseUnavailable extends Error {
  constructor(problem: string) {
    super(`${problem[0].toUpperCase()}${problem.slice(1)}; nothing was imported.`);
  }
}

/**
 * Imports into the warehouse the server holds. Each tenant has one import at a time, from the
 * first byte received to the report (two imports of one tenant must not interleave), and an
 * upload being received holds nothing else: another tenant's import goes ahead meanwhile. The
 * writes themselves run one after the other (DuckDB lets one process write the file, and two
 * imports' transactions replacing rows would conflict): an import whose file has arrived waits
 * for the write before it, rather than being refused. The tenant's rows are replaced in one
 * transaction, its predicted CLV is fitted again, and then the caches are renewed (`afterImport`)
 * so that no figure from before the import is served: the data-in pipeline (seeds/pipeline.ts).
 */
export class WarehouseImports {
  private readonly running = new Map<string, number>();
  /** Settles when the write queued last has finished. */
  private lastWrite: Promise<void> = Promise.resolve();
  private writing = false;

  constructor(
    private readonly warehouse: HeldWarehouse,
    private readonly afterImport: () => Promise<void>,
    private readonly log: (message: string) => void,
    /** Why the warehouse file cannot take an import now, or null. */
    private readonly fileProblem: () => string | null = () => null,
  ) {}

  /** Takes the tenant's import slot, or throws ImportBusy (that tenant's import holds it) or WarehouseUnavailable. */
  reserve(tenant: string): () => void {
    const problem = this.fileProblem();
    if (problem) throw new WarehouseUnavailable(problem);
    const since = this.running.get(tenant);
    if (since !== undefined) throw new ImportBusy(tenant, Math.round((Date.now() - since) / 1000));
    this.running.set(tenant, Date.now());
    return () => {
      this.running.delete(tenant);
    };
  }

  /** Resolves when the writes queued before have finished; call the function it gives when this write has. */
  private async writeTurn(): Promise<() => void> {
    const before = this.lastWrite;
    let done!: () => void;
    this.lastWrite = new Promise((resolve) => (done = resolve));
    await before;
    this.writing = true;
    return () => {
      this.writing = false;
      done();
    };
  }

  /** Runs one import of `file`; every outcome ends with a report or an error event, never a throw. */
  async run(options: CheckedImport, file: string, requestId: string, emit: (event: ImportEvent) => void): Promise<void> {
    if (this.writing) emit({ log: '  Waiting for another import to finish writing (imports write one at a time)…' });
    const finished = await this.writeTurn();
    try {
      await this.write(options, file, requestId, emit);
    } finally {
      finished();
    }
  }

  private async write(options: CheckedImport, file: string, requestId: string, emit: (event: ImportEvent) => void): Promise<void> {
    // Checked again after the wait: the file may have gone while this import was received or queued.
    const problem = this.fileProblem();
    if (problem) {
      emit({ error: new WarehouseUnavailable(problem).message });
      return;
    }
    let report;
    try {
      report = await importTenant(
        { ...options, file, warehouse: this.warehouse, onProgress: (share, rows) => emit({ progress: share, rows }) },
        {
          log: (line) => emit({ log: line }),
          onWritten: (written) => {
            this.log(`[import ${requestId}] tenant ${options.tenant}: ${written.rows_imported} of ${written.rows_read} rows imported in ${written.seconds.toFixed(1)} s`);
            // Committed: a client that loses the server from here on must not say that nothing was written.
            emit({ written: written.rows_imported });
          },
          markDataVersion: this.afterImport,
          // The import stands whatever fails after it: predictions missing until `npm run clv`, or old figures until a restart.
          onStepFailed: (step, e) => {
            this.log(`[import ${requestId}] ${step === 'fit' ? `CLV fit of tenant ${options.tenant}` : 'renewing the caches'}: ${(e as Error)?.stack ?? e}`);
            emit({
              log:
                step === 'fit'
                  ? `  predicted CLV ${options.tenant}: not fitted (request ${requestId}; the server log has the details).`
                  : `  The new rows are in, but the server could not renew its caches (request ${requestId}): figures from before may show until a restart.`,
            });
          },
        },
      );
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
    emit({ report });
  }
}
