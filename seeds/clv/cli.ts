/**
 * `npm run clv -- [--warehouse PATH] --tenant ID [--calibration-end DATE] [--unit day|week] [--horizon 12m] [--json]`
 */
import path from 'node:path';
import { commandLine } from '../commandLine.js';
import { WarehouseError } from '../warehouseFile.js';
import { fitTenant, type FitSummary } from './fitTenant.js';

const USAGE = `Usage: npm run clv -- --tenant ID [options]
  --warehouse PATH        DuckDB warehouse file (default data/warehouse.duckdb, or CRM_WAREHOUSE)
  --tenant ID             tenant to fit
  --calibration-end DATE  last day of history the fit sees, YYYY-MM-DD (default: the tenant's last order day)
  --unit day|week         time unit of the fit (default week; alpha is in this unit)
  --horizon 12m           prediction horizon: months (m), weeks (w) or days (d) (default 12m)
  --json                  print the fit as JSON`;

const cli = commandLine(USAGE, {
  warehouse: { type: 'string' },
  tenant: { type: 'string' },
  'calibration-end': { type: 'string' },
  unit: { type: 'string' },
  horizon: { type: 'string' },
  json: { type: 'boolean' },
});
const { values } = cli;
// Annotated so that TypeScript narrows after a call (a function that never returns).
const usageError: (message: string) => never = cli.usageError;
if (!values.tenant) usageError('--tenant is required.');
const unit = (values.unit as string | undefined) ?? 'week';
if (unit !== 'day' && unit !== 'week') usageError(`--unit must be day or week, got "${unit}".`);
const calibrationEnd = values['calibration-end'] as string | undefined;
if (calibrationEnd !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(calibrationEnd) || Number.isNaN(Date.parse(calibrationEnd)))) {
  usageError(`--calibration-end must be a date YYYY-MM-DD, got "${calibrationEnd}".`);
}
const warehouse = path.resolve((values.warehouse as string | undefined) ?? process.env.CRM_WAREHOUSE ?? 'data/warehouse.duckdb');

const print = (s: FitSummary) => {
  const f = (v: number, digits = 4) => v.toFixed(digits);
  console.log(
    `Fitted tenant ${s.tenant} on ${s.customers.toLocaleString('en-US')} members (${s.repeatBuyers.toLocaleString('en-US')} repeat buyers), ` +
      `history up to ${s.calibrationEnd}, unit ${s.unit}, horizon ${s.horizonDays} days`,
  );
  console.log(`  BG/NBD       r ${f(s.bgnbd.r)}  alpha ${f(s.bgnbd.alpha)}  a ${f(s.bgnbd.a)}  b ${f(s.bgnbd.b)}  loglik ${f(s.bgnbd.logLikelihood, 2)}`);
  console.log(`  Gamma-Gamma  p ${f(s.gammaGamma.p)}  q ${f(s.gammaGamma.q)}  gamma ${f(s.gammaGamma.gamma)}  loglik ${f(s.gammaGamma.logLikelihood, 2)}`);
  console.log(`  mean predicted CLV ${s.meanPredictedClv.toFixed(2)}; written to customer_predictions (calibration_end ${s.calibrationEnd})`);
  if (s.holdout) {
    const { calibrationEnd, holdoutEnd, actual, expected } = s.holdout;
    console.log(`  holdout check (clv_tracking_*): fitted to ${calibrationEnd}, ${actual} purchases after it up to ${holdoutEnd} against ${expected.toFixed(1)} expected`);
  }
  console.log(`  time: read ${s.seconds.read.toFixed(2)} s, fit ${s.seconds.fit.toFixed(2)} s, predict ${s.seconds.predict.toFixed(2)} s, write ${s.seconds.write.toFixed(2)} s`);
};

try {
  const summary = await fitTenant({ warehouse, tenant: values.tenant as string, calibrationEnd, unit, horizon: values.horizon as string | undefined });
  if (values.json) {
    const { bgnbd: b, gammaGamma: g } = summary;
    console.log(JSON.stringify({ ...summary, r: b.r, alpha: b.alpha, a: b.a, b: b.b, loglik: b.logLikelihood, p: g.p, q: g.q, gamma: g.gamma, gamma_gamma_loglik: g.logLikelihood }));
  } else print(summary);
} catch (e) {
  if (!(e instanceof WarehouseError)) throw e;
  console.error(`CLV fit failed: ${e.message}`);
  process.exit(1);
}
