/**
 * Board and cohort query latency through the real API, with the model's rollup
 * pre-aggregations and without them (the same model with `pre_aggregations` removed), on one
 * warehouse. Median of repeated warm runs; each run adds a filter that excludes a different
 * non-existent tenant, which changes nothing in the result but defeats Cube's result cache, so
 * every run reaches the warehouse (or the rollup).
 */
import { copyFileSync, cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../cube/paths.js';
import { startServer } from '../../cube/server.js';
import { load, TEST_SECRET } from '../support/apiClient.js';
import { tempDir } from '../support/duckdbFile.js';

const BOARD_QUERIES: Record<string, object> = {
  'revenue by month x channel (12 months)': {
    measures: ['executive_kpis.revenue', 'executive_kpis.orders'],
    dimensions: ['executive_kpis.channel'],
    timeDimensions: [{ dimension: 'executive_kpis.ordered_at', granularity: 'month', dateRange: ['2025-11-01', '2026-10-31'] }],
  },
  'revenue by region (month)': {
    measures: ['executive_kpis.revenue'],
    dimensions: ['executive_kpis.region'],
    timeDimensions: [{ dimension: 'executive_kpis.ordered_at', dateRange: ['2026-10-01', '2026-10-31'] }],
  },
  'as-of KPIs trend (13 months)': {
    measures: ['customer_health.repeat_rate', 'customer_health.churn_rate', 'customer_health.historical_ltv', 'customer_health.f2_conversion_90d'],
    timeDimensions: [{ dimension: 'customer_health.month', granularity: 'month', dateRange: ['2025-10-01', '2026-10-31'] }],
  },
  'target attainment (month)': {
    measures: ['kpi_attainment.revenue_attainment', 'kpi_attainment.new_customers'],
    timeDimensions: [{ dimension: 'kpi_attainment.month', dateRange: ['2026-10-01', '2026-10-31'] }],
  },
  'cohort matrix': { measures: ['cohorts.cohort_retention'], dimensions: ['cohorts.month_offset'], timeDimensions: [{ dimension: 'cohorts.cohort_month', granularity: 'month' }] },
};

function stripPreAggregations(dir: string): void {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) stripPreAggregations(full);
    else if (name.endsWith('.yml')) writeFileSync(full, readFileSync(full, 'utf8').replace(/\n {4}pre_aggregations:[\s\S]*$/, '\n'));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(warehouse: string, modelPath: string, runs: number): Promise<Record<string, { ms: number; preAggregated: boolean }>> {
  const server = await startServer({ warehouse, apiSecret: TEST_SECRET, port: 0, modelPath, webDist: null, refreshIntervalSeconds: 0 });
  const out: Record<string, { ms: number; preAggregated: boolean }> = {};
  try {
    for (const [name, query] of Object.entries(BOARD_QUERIES)) {
      const built = performance.now();
      const first = await load(server.url, query); // builds the rollup if needed; not timed
      if (first.status !== 200) throw new Error(`${name}: ${JSON.stringify(first.body)}`);
      const firstMs = performance.now() - built;
      // Queries of many seconds (no rollup on a big warehouse) get fewer repetitions.
      const repeat = firstMs > 2000 ? Math.min(runs, 3) : runs;
      const times: number[] = [];
      for (let i = 0; i < repeat; i++) {
        const t0 = performance.now();
        const view = (query as { measures: string[] }).measures[0].split('.')[0];
        const { status } = await load(server.url, { ...query, filters: [{ member: `${view}.tenant_id`, operator: 'notEquals', values: [`none-${i}`] }] });
        times.push(performance.now() - t0);
        if (status !== 200) throw new Error(`${name}: HTTP ${status}`);
      }
      out[name] = { ms: median(times), preAggregated: Object.keys(first.body.usedPreAggregations ?? {}).length > 0 };
      console.error(`  ${name}: ${out[name].ms.toFixed(1)} ms (${repeat} runs, first ${firstMs.toFixed(0)} ms)`);
    }
  } finally {
    await server.close();
  }
  return out;
}

export async function boardLatency(sourceWarehouse: string, runs = 20): Promise<string[]> {
  const tmp = tempDir('crm-bench-');
  try {
    const withModel = path.join(REPO_ROOT, 'model');
    const plainModel = path.join(tmp.dir, 'model');
    cpSync(withModel, plainModel, { recursive: true });
    stripPreAggregations(plainModel);
    const a = path.join(tmp.dir, 'a.duckdb');
    const b = path.join(tmp.dir, 'b.duckdb');
    copyFileSync(sourceWarehouse, a);
    copyFileSync(sourceWarehouse, b);
    const withPre = await measure(a, withModel, runs);
    const without = await measure(b, plainModel, runs);
    return Object.keys(BOARD_QUERIES).map(
      (name) =>
        `${name.padEnd(42)} with rollups ${withPre[name].ms.toFixed(1).padStart(8)} ms${withPre[name].preAggregated ? '' : ' (no rollup!)'}   without ${without[name].ms.toFixed(1).padStart(8)} ms   speed-up x${(without[name].ms / withPre[name].ms).toFixed(1)}`,
    );
  } finally {
    tmp.remove();
    rmSync(`${sourceWarehouse}.wal`, { force: true });
  }
}
