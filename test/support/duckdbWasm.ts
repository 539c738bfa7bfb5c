import { createRequire } from 'node:module';
import path from 'node:path';
import { NO_EXTENSION_DOWNLOADS } from '../../web/src/cohorts/slicing/settings.js';

const require = createRequire(import.meta.url);

/** duckdb-wasm's Node build: the same engine the browser runs, for testing the slicing SQL. */
export async function startDuckDBWasm() {
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  const dist = path.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  const bundles = {
    mvp: { mainModule: path.join(dist, 'duckdb-mvp.wasm'), mainWorker: path.join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: path.join(dist, 'duckdb-node-eh.worker.cjs') },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate(() => {});
  db.open({ query: { castBigIntToDouble: true } });
  const conn = db.connect();
  for (const setting of NO_EXTENSION_DOWNLOADS) conn.query(setting);
  return {
    loadArrow(table: string, ipc: Uint8Array) {
      conn.query(`DROP TABLE IF EXISTS ${table}`);
      conn.insertArrowFromIPCStream(ipc, { name: table, create: true });
    },
    rows(sql: string): Record<string, unknown>[] {
      return conn
        .query(sql)
        .toArray()
        .map((r: { toJSON(): Record<string, unknown> }) => r.toJSON());
    },
    close() {
      conn.close();
    },
  };
}
