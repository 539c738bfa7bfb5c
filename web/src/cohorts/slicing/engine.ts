import * as duckdb from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import { NO_EXTENSION_DOWNLOADS } from './settings';

/**
 * DuckDB-WASM in a worker, started once on first use. Its wasm and worker files are bundled
 * by Vite (`?url`), never fetched from a CDN.
 */
let database: Promise<duckdb.AsyncDuckDB> | null = null;

function start(): Promise<duckdb.AsyncDuckDB> {
  database ??= (async () => {
    const bundle = await duckdb.selectBundle({
      mvp: { mainModule: mvpWasm, mainWorker: mvpWorker },
      eh: { mainModule: ehWasm, mainWorker: ehWorker },
    });
    const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker(bundle.mainWorker!));
    await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
    await db.open({ query: { castBigIntToDouble: true } });
    // The wasm build would fetch known extensions from extensions.duckdb.org on first use;
    // the slicing SQL needs none, and the app loads nothing from outside its origin.
    const conn = await db.connect();
    try {
      for (const setting of NO_EXTENSION_DOWNLOADS) await conn.query(setting);
    } finally {
      await conn.close();
    }
    return db;
  })();
  return database;
}

/** Starts the engine now (its wasm takes seconds to compile), so that it is ready when the data arrives. */
export function startEngine(): void {
  void start().catch(() => {});
}

/** Replaces `table` with an Arrow IPC stream. */
export async function loadArrow(table: string, ipc: Uint8Array): Promise<void> {
  const db = await start();
  const conn = await db.connect();
  try {
    await conn.query(`DROP TABLE IF EXISTS ${table}`);
    await conn.insertArrowFromIPCStream(ipc, { name: table, create: true });
  } finally {
    await conn.close();
  }
}

export async function queryRows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  const db = await start();
  const conn = await db.connect();
  try {
    return (await conn.query(sql)).toArray().map((row) => row.toJSON() as T);
  } finally {
    await conn.close();
  }
}
