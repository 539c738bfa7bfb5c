/** `npm run clv` without the command line: read a tenant's history, fit, predict, write. */
import { openTarget, SCHEMA_IF_MISSING_SQL, targetLabel, WarehouseError, type WarehouseTarget } from '../warehouseFile.js';
import { fitStatus, type FitStatus } from './fitTrust.js';
import { checkHoldout, type HoldoutSummary } from './holdoutCheck.js';
import { DAYS_PER_UNIT, lastOrderDate, readHistory, type TimeUnit } from './history.js';
import { predict, type Predictions } from './predict.js';
import { writePredictions } from './writePredictions.js';

export interface FitOptions {
  /** The DuckDB file, or the warehouse the server holds. */
  warehouse: WarehouseTarget;
  tenant: string;
  /** `YYYY-MM-DD`; default: the tenant's last order day. */
  calibrationEnd?: string;
  unit?: TimeUnit;
  /** `12m`, `26w` or `90d` (a month is 365.25 / 12 days). */
  horizon?: string;
}

export interface FitSummary extends Omit<Predictions, 'expectedPurchases' | 'pAlive' | 'expectedSpend' | 'clv' | 'meanClvOverHorizon'> {
  tenant: string;
  /** Whether the predictions are served, or withheld and why (fitTrust.ts). */
  status: FitStatus;
  calibrationEnd: string;
  unit: TimeUnit;
  /** The horizon of meanPredictedClv; the stored predictions hold 12 months. */
  horizonDays: number;
  customers: number;
  meanPredictedClv: number;
  /** The holdout check written with the fit (holdoutCheck.ts), or null when the history is too short for one. */
  holdout: HoldoutSummary | null;
  seconds: Predictions['seconds'] & { read: number; write: number };
}

/** The horizon of the stored predictions (expected_purchases_12m, predicted_clv_12m), in days. */
const TWELVE_MONTHS_DAYS = 365;

export function horizonDays(text: string): number {
  const m = /^(\d+)(m|w|d)$/.exec(text);
  if (!m || Number(m[1]) === 0) throw new WarehouseError(`--horizon must be a number of months, weeks or days such as 12m, 26w or 90d, got "${text}".`);
  return Math.round(Number(m[1]) * { m: 365.25 / 12, w: 7, d: 1 }[m[2] as 'm' | 'w' | 'd']);
}

export async function fitTenant(options: FitOptions): Promise<FitSummary> {
  const unit = options.unit ?? 'week';
  const days = horizonDays(options.horizon ?? '12m');
  const warehouse = await openTarget(options.warehouse);
  if (warehouse.created) {
    warehouse.discard();
    throw new WarehouseError(`${targetLabel(options.warehouse)} does not exist: seed or import a warehouse first.`);
  }
  try {
    const { connection } = warehouse;
    await connection.run(SCHEMA_IF_MISSING_SQL);
    const calibrationEnd = options.calibrationEnd ?? (await lastOrderDate(connection, options.tenant));
    if (!calibrationEnd) throw new WarehouseError(`Tenant ${options.tenant} has no orders in ${targetLabel(options.warehouse)}.`);
    const started = performance.now();
    const history = await readHistory(connection, options.tenant, calibrationEnd, unit);
    if (history.x.length < 10) throw new WarehouseError(`Tenant ${options.tenant} has ${history.x.length} members with orders up to ${calibrationEnd}; the fit needs at least 10.`);
    const read = performance.now();
    const predictions = predict(history, TWELVE_MONTHS_DAYS / DAYS_PER_UNIT[unit], days / DAYS_PER_UNIT[unit]);
    const status = fitStatus(predictions.repeatBuyers, predictions.bgnbd, unit);
    const predicted = performance.now();
    const fittedAt = new Date().toISOString().slice(0, 19).replace('T', ' ');
    await writePredictions(connection, { tenant: options.tenant, calibrationEnd, unit, horizonDays: TWELVE_MONTHS_DAYS, fittedAt, status }, history, predictions);
    const holdout = await checkHoldout(connection, { tenant: options.tenant, calibrationEnd, unit }, predictions.bgnbd, history);
    const { bgnbd, gammaGamma, repeatBuyers, seconds, meanClvOverHorizon } = predictions;
    return {
      status,
      bgnbd,
      gammaGamma,
      repeatBuyers,
      tenant: options.tenant,
      calibrationEnd,
      unit,
      horizonDays: days,
      customers: history.x.length,
      meanPredictedClv: meanClvOverHorizon,
      holdout,
      seconds: { ...seconds, read: (read - started) / 1000, write: (performance.now() - predicted) / 1000 },
    };
  } finally {
    warehouse.close();
  }
}

/**
 * Fits `tenants` (default: every tenant in the warehouse), so a freshly seeded or imported
 * warehouse has predictions. A tenant the fit cannot take (too few members) is reported, not
 * fatal; `log` gets one line per tenant.
 */
export async function fitEveryTenant(warehouse: WarehouseTarget, log: (line: string) => void, tenants?: string[]): Promise<void> {
  let ids = tenants;
  if (!ids) {
    const opened = await openTarget(warehouse);
    try {
      ids = (await (await opened.connection.runAndReadAll('SELECT tenant_id FROM tenants ORDER BY 1')).getRowObjects()).map((r) => String(r.tenant_id));
    } finally {
      opened.close();
    }
  }
  for (const tenant of ids) {
    try {
      const fit = await fitTenant({ warehouse, tenant });
      if (fit.status !== 'served') {
        log(
          `  predicted CLV ${tenant}: withheld (${fit.status}: ${fit.repeatBuyers.toLocaleString('en-US')} repeat buyers, BG/NBD r ${fit.bgnbd.r.toPrecision(3)}, alpha ${fit.bgnbd.alpha.toPrecision(3)})`,
        );
        continue;
      }
      log(
        `  predicted CLV ${tenant}: ${fit.customers.toLocaleString('en-US')} members, mean ¥${Math.round(fit.meanPredictedClv).toLocaleString('en-US')} over 12 months (BG/NBD loglik ${fit.bgnbd.logLikelihood.toFixed(1)})`,
      );
    } catch (e) {
      if (!(e instanceof WarehouseError)) throw e;
      log(`  predicted CLV ${tenant}: not fitted (${e.message}); run npm run clv -- --tenant ${tenant} when it has more history.`);
    }
  }
}
