/**
 * Writes one fit into the warehouse in one transaction: its parameters and status into clv_fits
 * and, when the fit is served (fitTrust.ts), a row per member into customer_predictions; a
 * withheld fit leaves none, so the model serves no prediction for the tenant and says why. A fit with the same tenant and calibration end replaces the
 * earlier one; fits at other calibration ends stay (DESIGN.md: one row per member per fit).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { ROLLUPS_OUTDATED_TABLE } from '../warehouseFile.js';
import type { FitStatus } from './fitTrust.js';
import type { CustomerHistory, TimeUnit } from './history.js';
import type { Predictions } from './predict.js';

export interface FitRecord {
  tenant: string;
  calibrationEnd: string;
  unit: TimeUnit;
  horizonDays: number;
  fittedAt: string;
  status: FitStatus;
}

export async function writePredictions(connection: DuckDBConnection, fit: FitRecord, history: CustomerHistory, p: Predictions): Promise<void> {
  await connection.run('CREATE OR REPLACE TEMP TABLE stage_predictions (customer_id BIGINT, expected_purchases DOUBLE, p_alive DOUBLE, expected_spend DOUBLE, clv DOUBLE)');
  const appender = await connection.createAppender('stage_predictions', 'main', 'temp');
  for (let i = 0; i < history.customerId.length; i++) {
    appender.appendBigInt(history.customerId[i]);
    appender.appendDouble(p.expectedPurchases[i]);
    appender.appendDouble(p.pAlive[i]);
    appender.appendDouble(p.expectedSpend[i]);
    appender.appendDouble(p.clv[i]);
    appender.endRow();
  }
  appender.closeSync();
  const { bgnbd, gammaGamma } = p;
  const key = { tenant: fit.tenant, end: fit.calibrationEnd };
  await connection.run('BEGIN TRANSACTION');
  try {
    await connection.run('DELETE FROM customer_predictions WHERE tenant_id = $tenant AND calibration_end = CAST($end AS DATE)', key);
    await connection.run('DELETE FROM clv_fits WHERE tenant_id = $tenant AND calibration_end = CAST($end AS DATE)', key);
    await connection.run(
      `INSERT INTO clv_fits VALUES ($tenant, CAST($end AS DATE), CAST($fitted AS TIMESTAMP), $unit, $horizon, $customers, $repeaters,
      $r, $alpha, $a, $b, $bgll, $p, $q, $gamma, $ggll, $status)`,
      {
        ...key,
        fitted: fit.fittedAt,
        unit: fit.unit,
        horizon: fit.horizonDays,
        customers: history.x.length,
        repeaters: p.repeatBuyers,
        r: bgnbd.r,
        alpha: bgnbd.alpha,
        a: bgnbd.a,
        b: bgnbd.b,
        bgll: bgnbd.logLikelihood,
        p: gammaGamma.p,
        q: gammaGamma.q,
        gamma: gammaGamma.gamma,
        ggll: gammaGamma.logLikelihood,
        status: fit.status,
      },
    );
    if (fit.status === 'served')
      await connection.run(
        `INSERT INTO customer_predictions
      SELECT customer_id, $tenant, CAST($end AS DATE), CAST(expected_purchases AS DECIMAL(18,6)), CAST(p_alive AS DECIMAL(18,6)),
        CAST(round(expected_spend, 2) AS DECIMAL(18,2)), CAST(round(clv, 2) AS DECIMAL(18,2)), CAST($fitted AS TIMESTAMP)
      FROM stage_predictions ORDER BY customer_id`,
        { ...key, fitted: fit.fittedAt },
      );
    // Rollups read the predictions too: they are older now (seeds/warehouseFile.ts).
    await connection.run(`CREATE TABLE IF NOT EXISTS ${ROLLUPS_OUTDATED_TABLE} (since TIMESTAMP)`);
    await connection.run('COMMIT');
  } catch (e) {
    await connection.run('ROLLBACK');
    throw e;
  }
}
