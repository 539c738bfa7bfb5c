import path from 'node:path';
import { generateWarehouse } from '../../seeds/generate.js';
import { loadIntoPostgres } from '../../seeds/postgresLoader.js';
import { startServer, type RunningServer, type ServerOptions } from '../../cube/server.js';
import { TEST_SECRET } from './apiClient.js';
import { tempDir } from './duckdbFile.js';
import { startTestPostgres } from './postgres.js';

/** The generated warehouse the integration tests share: small enough for seconds, big enough for every segment. */
export const TEST_WAREHOUSE = { customers: 3000, tenants: 2, years: 2, seed: 11 };

export interface ServedWarehouse {
  /** The DuckDB file, always: plain SQL checks run against it. */
  duckdbFile: string;
  server: RunningServer;
  stop(): Promise<void>;
}

/**
 * Generates the test warehouse and serves the product model over it, either from the DuckDB
 * file itself or from a Postgres database loaded with the same rows.
 */
export async function serveGeneratedWarehouse(kind: 'duckdb' | 'postgres', options: Partial<Omit<ServerOptions, 'warehouse' | 'apiSecret'>> = {}): Promise<ServedWarehouse> {
  const tmp = tempDir();
  const duckdbFile = path.join(tmp.dir, 'warehouse.duckdb');
  await generateWarehouse({ out: duckdbFile, ...TEST_WAREHOUSE });
  let warehouse = path.join(tmp.dir, 'served.duckdb');
  let stopPostgres = async () => {};
  if (kind === 'postgres') {
    const postgres = await startTestPostgres();
    await loadIntoPostgres(duckdbFile, postgres.url);
    warehouse = postgres.url;
    stopPostgres = () => postgres.stop();
  } else {
    // The server writes pre-aggregations into its file; plain SQL reads an untouched copy.
    const { copyFileSync } = await import('node:fs');
    copyFileSync(duckdbFile, warehouse);
  }
  const server = await startServer({ warehouse, apiSecret: TEST_SECRET, port: 0, webDist: null, refreshIntervalSeconds: 0, ...options });
  return {
    duckdbFile,
    server,
    async stop() {
      await server.close();
      await stopPostgres();
      tmp.remove();
    },
  };
}
