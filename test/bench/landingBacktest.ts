/**
 * How far off the landing forecast (着地見込み, model/cubes/sales/fiscal_landing.yml) is when made
 * at month 6: each tenant's last closed fiscal year is cut after its sixth month (orders after it
 * deleted from a copy of the warehouse), the model forecasts the year through Cube, and the
 * forecast is set against the year's actual from the whole warehouse. Beside it, two peers a
 * planner would otherwise use: the run rate to date (to date x 12 / 6) and last year's actual.
 *
 *   npx tsx test/bench/landingBacktest.ts [--customers N]   (default: the 50,000-customer demo)
 */
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { startServer } from '../../cube/server.js';
import { generateWarehouse } from '../../seeds/generate.js';
import { loadRows, TEST_SECRET } from '../support/apiClient.js';
import { createDuckDBFile, queryDuckDBFile, tempDir } from '../support/duckdbFile.js';

/** Each tenant's last fiscal year that closed by its last day of data, its month-6 cut and its actuals. */
const CLOSED_YEARS = `
  WITH refs AS (SELECT tenant_id, max(CAST(ordered_at AS DATE)) AS ref_date FROM orders GROUP BY tenant_id),
  years AS (
    SELECT t.tenant_id, t.fiscal_year_start_month AS m,
      make_date(year(r.ref_date) - CASE WHEN month(r.ref_date) < t.fiscal_year_start_month THEN 1 ELSE 0 END, t.fiscal_year_start_month, 1) - INTERVAL 1 YEAR AS fy_start
    FROM tenants t JOIN refs r USING (tenant_id)
  ),
  monthly AS (
    SELECT tenant_id, date_trunc('month', ordered_at) AS month, sum(net_amount) AS revenue, count(*) AS orders, count(DISTINCT customer_id) AS active
    FROM orders GROUP BY ALL
  )
  SELECT y.tenant_id, year(y.fy_start) AS fiscal_year, CAST(y.fy_start AS DATE) AS fy_start, CAST(y.fy_start + INTERVAL 6 MONTH - INTERVAL 1 DAY AS DATE) AS cut,
    sum(m.revenue) FILTER (WHERE m.month >= y.fy_start) AS revenue, sum(m.orders) FILTER (WHERE m.month >= y.fy_start) AS orders,
    sum(m.active) FILTER (WHERE m.month >= y.fy_start) / 12.0 AS active,
    sum(m.revenue) FILTER (WHERE m.month >= y.fy_start AND m.month < y.fy_start + INTERVAL 6 MONTH) AS revenue_h1,
    sum(m.orders) FILTER (WHERE m.month >= y.fy_start AND m.month < y.fy_start + INTERVAL 6 MONTH) AS orders_h1,
    sum(m.active) FILTER (WHERE m.month >= y.fy_start AND m.month < y.fy_start + INTERVAL 6 MONTH) / 6.0 AS active_h1,
    sum(m.revenue) FILTER (WHERE m.month < y.fy_start) AS revenue_ly, sum(m.orders) FILTER (WHERE m.month < y.fy_start) AS orders_ly,
    sum(m.active) FILTER (WHERE m.month < y.fy_start) / 12.0 AS active_ly
  FROM years y JOIN monthly m ON m.tenant_id = y.tenant_id AND m.month >= y.fy_start - INTERVAL 1 YEAR AND m.month < y.fy_start + INTERVAL 1 YEAR
  GROUP BY ALL ORDER BY 1`;

const METRICS = [
  { name: 'revenue', landing: 'kpi_landing.revenue_landing' },
  { name: 'orders', landing: 'kpi_landing.orders_landing' },
  { name: 'active', landing: 'kpi_landing.active_customers_landing' },
] as const;

const pct = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} %`;

export async function landingBacktest(warehouse: string): Promise<string[]> {
  const tmp = tempDir('crm-landing-');
  try {
    const years = await queryDuckDBFile(warehouse, CLOSED_YEARS);
    const cut = path.join(tmp.dir, 'month6.duckdb');
    copyFileSync(warehouse, cut);
    const keep = years.map((y) => `(tenant_id = '${String(y.tenant_id)}' AND CAST(ordered_at AS DATE) <= DATE '${String(y.cut)}')`).join(' OR ');
    await createDuckDBFile(cut, `DELETE FROM order_items WHERE order_id IN (SELECT order_id FROM orders WHERE NOT (${keep})); DELETE FROM orders WHERE NOT (${keep});`);
    const server = await startServer({ warehouse: cut, apiSecret: TEST_SECRET, port: 0, webDist: null, refreshIntervalSeconds: 0 });
    const lines: string[] = [];
    try {
      for (const y of years) {
        const [forecast] = await loadRows(server.url, {
          measures: METRICS.map((m) => m.landing),
          filters: [
            { member: 'kpi_landing.tenant_id', operator: 'equals', values: [String(y.tenant_id)] },
            { member: 'kpi_landing.fiscal_year', operator: 'equals', values: [String(y.fiscal_year)] },
          ],
        });
        for (const m of METRICS) {
          const actual = Number(y[m.name]);
          const error = (value: number) => value / actual - 1;
          const model = error(Number(forecast[m.landing]));
          const runRate = error(m.name === 'active' ? Number(y.active_h1) : Number(y[`${m.name}_h1`]) * 2);
          const lastYear = error(Number(y[`${m.name}_ly`]));
          lines.push(
            `${String(y.tenant_id)} ${String(y.fiscal_year)}年度 (from ${String(y.fy_start)}, forecast at ${String(y.cut)}) ${m.name}: model ${pct(model)}, run rate ${pct(runRate)}, last year ${pct(lastYear)}; ` +
              `|error| ratio run rate / model x${(Math.abs(runRate) / Math.max(Math.abs(model), 1e-9)).toFixed(1)}`,
          );
        }
      }
    } finally {
      await server.close();
    }
    return lines;
  } finally {
    tmp.remove();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { customers: { type: 'string', default: '50000' } } });
  const tmp = tempDir('crm-landing-demo-');
  const file = path.join(tmp.dir, 'demo.duckdb');
  await generateWarehouse({ out: file, customers: Number(values.customers) });
  console.log(`# Landing forecast made at month 6 of the last closed fiscal year, error against its actual (${Number(values.customers).toLocaleString('en-US')} customers)`);
  for (const line of await landingBacktest(file)) console.log(line);
  tmp.remove();
}
