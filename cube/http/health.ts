import type { Request, Response } from 'express';
import type { ModelState } from '../modelGuard.js';
import { WAREHOUSE_UNREACHABLE, type CrmDriver } from '../warehouse.js';

export interface HealthOptions {
  dbType: string;
  driver: CrmDriver;
  model: () => ModelState;
  /** True once the server is shutting down (SIGTERM): load balancers should stop sending. */
  draining?: () => boolean;
  log?: (message: string) => void;
  /** Longest wait for the warehouse's answer to `SELECT 1` (DuckDB shares Node's 4 libuv threads with running queries). */
  timeoutMs?: number;
  /** How long an answer (or a query that succeeded) counts as fresh: keeps /health cheap. */
  cacheMs?: number;
}

/**
 * `/health` answers 200 `{ status: 'ok', warehouse }` only when the server can answer queries:
 * the warehouse answers a bounded `SELECT 1` (cached for `cacheMs`, skipped when a query
 * succeeded that recently) and a model is compiled. Otherwise 503 `{ status: 'unavailable',
 * reasons }`. Reasons never carry hosts, ports or driver text (that goes to the log); a model
 * compile error names the model file and line, which an operator needs and a client cannot
 * misuse. A model broken after a good compile keeps serving the previous one: 200 with
 * `warnings`.
 */
export function healthRoute(options: HealthOptions) {
  const { dbType, driver, model, draining = () => false, log = () => {}, timeoutMs = 2000, cacheMs = 1500 } = options;
  let cached: { at: number; reason: Promise<string | null> } | null = null;

  function reasonFor(e: unknown): string {
    const text = String((e as Error)?.message ?? e);
    if (text === 'health-timeout') return `warehouse: no answer to SELECT 1 within ${timeoutMs / 1000} s`;
    log(`[health] warehouse check failed: ${text.split('\n')[0]}`);
    if (driver.describeDamage(text)) return 'warehouse: the warehouse file is damaged';
    if (WAREHOUSE_UNREACHABLE.test(text)) return 'warehouse: unreachable (the server log has the details)';
    return 'warehouse: SELECT 1 failed (the server log has the details)';
  }

  function warehouseReason(): Promise<string | null> {
    const now = Date.now();
    if (driver.health.lastSuccessAt > now - cacheMs) return Promise.resolve(null);
    if (cached && now - cached.at < cacheMs) return cached.reason;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('health-timeout')), timeoutMs);
      timer.unref();
    });
    const entry = {
      at: now,
      reason: Promise.race([driver.ping(), timeout])
        .then(() => null, reasonFor)
        .finally(() => {
          clearTimeout(timer);
          entry.at = Date.now();
        }),
    };
    cached = entry;
    return entry.reason;
  }

  return async (_req: Request, res: Response) => {
    const reasons: string[] = [];
    const warnings: string[] = [];
    if (draining()) reasons.push('server: shutting down');
    const warehouse = await warehouseReason();
    // Queries running hold the driver's threads: a late answer then means busy, not down.
    if (warehouse?.startsWith('warehouse: no answer') && driver.health.inFlight > 0)
      warnings.push(`warehouse: busy (${driver.health.inFlight} queries running; SELECT 1 waited over ${timeoutMs / 1000} s)`);
    else if (warehouse) reasons.push(warehouse);
    if (driver.health.damage) reasons.push(`warehouse: ${driver.health.damage}`);
    // A DuckDB file deleted, replaced or not writable, which `SELECT 1` does not show.
    const problem = driver.problem();
    if (problem) reasons.push(`warehouse: ${problem}`);
    const state = model();
    if (!state.serving && state.error) reasons.push(`model: does not compile: ${state.error}`);
    if (state.stale && state.error) warnings.push(`model: the model files changed but do not compile; the previous version keeps serving: ${state.error}`);
    res.set('Cache-Control', 'no-store');
    if (reasons.length) res.status(503).json({ status: 'unavailable', warehouse: dbType, reasons, ...(warnings.length ? { warnings } : {}) });
    else res.json({ status: 'ok', warehouse: dbType, ...(warnings.length ? { warnings } : {}) });
  };
}
