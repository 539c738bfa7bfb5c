import { BaseDriver } from '../cubePackages.js';
import { DuckDBInstance, type DuckDBConnection, type DuckDBResultReader, type DuckDBValue } from '@duckdb/node-api';
import { existsSync } from 'node:fs';
import { DuckDBQuery } from './DuckDBQuery.js';
import { toCubeValue } from './values.js';

/** DuckDB's memory for the server's queries, rollup builds and imports; the rest of the server needs a few hundred MB more. */
export const DEFAULT_MEMORY_LIMIT = '1GB';

export interface DuckDBDriverOptions {
  /** Path of the warehouse file. */
  databasePath: string;
}

/** Raised when the warehouse file cannot be opened, with a message a person can act on. */
export class WarehouseOpenError extends Error {}

/** A statement stopped before its end because nobody waits for its answer any more. */
export class QueryInterrupted extends Error {
  constructor() {
    super('The query was stopped: nobody waits for its answer any more.');
  }
}

/** A query's answer that can also be stopped (Cube's queue calls `cancel` on what a driver's `query` returns). */
export type Cancellable<T> = Promise<T> & { cancel(): void };

/**
 * Cube driver for a DuckDB warehouse file. One DuckDB instance per file; each query gets
 * its own short-lived connection so that concurrent API requests run in parallel.
 * Parameters are always bound (`?` placeholders), never interpolated.
 */
export class DuckDBDriver extends BaseDriver {
  private instance: Promise<DuckDBInstance> | null = null;

  constructor(private readonly options: DuckDBDriverOptions) {
    super();
  }

  static dialectClass() {
    return DuckDBQuery;
  }

  private async open(): Promise<DuckDBInstance> {
    const { databasePath } = this.options;
    if (!existsSync(databasePath)) {
      throw new WarehouseOpenError(`Warehouse file not found: ${databasePath}. Run \`npm run seed\` to create the demo warehouse.`);
    }
    try {
      const instance = await DuckDBInstance.create(databasePath, {
        // Extensions are never downloaded: the ones the model needs (icu, json) ship in the binary.
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        // Defence in depth: SQL run here can reach no file or network (read_text, COPY … TO,
        // ATTACH, httpfs)…
        enable_external_access: 'false',
        // DuckDB would take up to 80 % of the machine's memory and keep it; over the limit it
        // spills to temporary files instead (CRM_DUCKDB_MEMORY_LIMIT, DuckDB's size syntax).
        memory_limit: process.env.CRM_DUCKDB_MEMORY_LIMIT ?? DEFAULT_MEMORY_LIMIT,
      });
      const connection = await instance.connect();
      // Same session time zone as the Postgres driver, so time buckets agree across warehouses.
      await connection.run("SET GLOBAL TimeZone = 'UTC'");
      // …and no statement can change a setting afterwards (turning access back on included).
      await connection.run('SET lock_configuration = true');
      connection.closeSync();
      return instance;
    } catch (e) {
      throw new WarehouseOpenError(`Cannot open warehouse ${databasePath} as a DuckDB database: ${(e as Error).message}`);
    }
  }

  /**
   * A connection of this driver's DuckDB instance. Also how a job inside the server (an import,
   * the CLV fit) writes to the file the server holds: DuckDB lets one process open it for writing.
   */
  async connect(): Promise<DuckDBConnection> {
    if (!this.instance) {
      this.instance = this.open();
      this.instance.catch(() => {
        this.instance = null;
      });
    }
    return (await this.instance).connect();
  }

  /**
   * Rows of one statement. `request` is the object Cube's queue runs it for (its queue entry's
   * query): `interrupt(request)` stops it. The promise's `cancel` is what Cube's queue calls
   * when it drops a running query (timed out, or orphaned).
   */
  query<R = unknown>(sql: string, values: unknown[] = [], request?: unknown): Cancellable<R[]> {
    return this.read(sql, values, request, (reader) => {
      const names = reader.columnNames();
      return reader.getRows().map((row) => {
        const record: Record<string, unknown> = {};
        row.forEach((cell, i) => {
          record[names[i]] = toCubeValue(cell);
        });
        return record as R;
      });
    });
  }

  /**
   * A result as columns of plain JS values (numbers, text, null), for results too large for
   * `query`'s row objects and Cube's string numbers: a million rows read in a fraction of the time.
   */
  queryColumns(sql: string, values: unknown[] = []): Cancellable<Record<string, (string | number | null)[]>> {
    return this.read(sql, values, undefined, (reader) => reader.getColumnsObjectJS() as Record<string, (string | number | null)[]>);
  }

  /** Stops the statement run for `request` (see `query`), which then fails with QueryInterrupted; false when none runs for it. */
  interrupt(request: object): boolean {
    const running = this.byRequest.get(request);
    running?.cancel();
    return Boolean(running);
  }

  private readonly byRequest = new Map<object, { cancel(): void }>();
  /** Statements running now (see `release`). */
  private readonly running = new Set<Cancellable<unknown>>();

  /**
   * Runs one statement on its own connection, always prepared (values bound, never pasted), and
   * reads its whole result. Its own connection is also what lets one statement be stopped
   * (DuckDB interrupts a connection, not a statement) while the others run on.
   */
  private read<T>(sql: string, values: unknown[], request: unknown, take: (reader: DuckDBResultReader) => T): Cancellable<T> {
    let connection: DuckDBConnection | null = null;
    let cancelled = false;
    let repeat: NodeJS.Timeout | undefined;
    const stopIfCancelled = () => {
      if (cancelled) throw new QueryInterrupted();
    };
    const handle = {
      cancel: () => {
        if (cancelled) return;
        cancelled = true;
        connection?.interrupt();
        // An interrupt that arrives before DuckDB has begun the statement (it may still wait
        // for one of libuv's threads) is forgotten when it begins: asked again until it ends.
        repeat = setInterval(() => connection?.interrupt(), 100);
      },
    };
    const key = typeof request === 'object' && request !== null ? request : null;
    const run = (async () => {
      connection = await this.connect();
      if (key) this.byRequest.set(key, handle);
      try {
        stopIfCancelled();
        const statement = await connection.prepare(sql);
        stopIfCancelled();
        if (values.length) statement.bind(values as DuckDBValue[]);
        const reader = await statement.runAndReadAll().catch((e: Error) => {
          throw cancelled ? new QueryInterrupted() : e;
        });
        return take(reader);
      } finally {
        clearInterval(repeat);
        if (key && this.byRequest.get(key) === handle) this.byRequest.delete(key);
        connection.closeSync();
      }
    })();
    const statement = Object.assign(run, handle);
    this.running.add(statement);
    void run.then(
      () => this.running.delete(statement),
      () => this.running.delete(statement),
    );
    return statement;
  }

  // DuckDB allows one writer at a time per catalog entry: schema and table changes made by
  // concurrent pre-aggregation builds are queued here instead of failing with write-write conflicts.
  private writes: Promise<unknown> = Promise.resolve();
  private readonly schemas = new Set<string>();

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writes.then(work, work);
    this.writes = run.catch(() => undefined);
    return run;
  }

  async createSchemaIfNotExists(schemaName: string): Promise<void> {
    if (this.schemas.has(schemaName)) return;
    await this.serialized(() => this.query(`CREATE SCHEMA IF NOT EXISTS ${schemaName}`));
    this.schemas.add(schemaName);
  }

  loadPreAggregationIntoTable(_table: string, loadSql: string, params: unknown[]): Promise<unknown[]> {
    return this.serialized(() => this.query(loadSql, params));
  }

  dropTable(tableName: string): Promise<unknown[]> {
    return this.serialized(() => this.query(`DROP TABLE IF EXISTS ${tableName}`));
  }

  /**
   * Drops every table of `schema` (the rollups, after the warehouse's rows changed) between two
   * rollup writes: a build that was reading the old rows finishes first and is dropped too.
   */
  dropAllTables(schema: string): Promise<void> {
    return this.serialized(async () => {
      const tables = await this.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = ?', [schema]);
      for (const { table_name } of tables) await this.query(`DROP TABLE IF EXISTS ${schema}."${table_name.replaceAll('"', '""')}"`);
    });
  }

  async testConnection(): Promise<void> {
    await this.query('SELECT 1');
  }

  readOnly(): boolean {
    return false;
  }

  toGenericType(columnType: string): string {
    const type = columnType.toLowerCase();
    if (type.startsWith('decimal')) return 'decimal';
    if (type === 'date') return 'timestamp';
    return super.toGenericType(type);
  }

  /**
   * Closes the DuckDB instance once no statement runs on it: the ones still running (a query
   * Cube's queue went on with after its client had its answer) are stopped and awaited first.
   * Closing the instance under a running statement crashed the process (SIGSEGV, about 1 stop
   * in 10 with queries in flight).
   */
  async release(): Promise<void> {
    const instance = this.instance;
    this.instance = null;
    for (const statement of this.running) statement.cancel();
    await Promise.allSettled(this.running);
    if (instance) (await instance.catch(() => null))?.closeSync();
  }
}
