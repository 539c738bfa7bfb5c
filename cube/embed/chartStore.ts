import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { ALL_TENANTS } from '../auth/securityContext.js';
import type { AppDb } from '../appdb/appDb.js';
import type { CubeQuery } from '../policy/queryMembers.js';

export const CHART_TYPES = ['kpi', 'line', 'area', 'bar', 'donut', 'table'] as const;
export type ChartType = (typeof CHART_TYPES)[number];

/** A saved chart: the query it runs, how it is drawn, and the tenant it belongs to. */
export interface SavedChart {
  id: string;
  title: string;
  chartType: ChartType;
  query: CubeQuery;
  /**
   * The tenant whose users may see the chart and whose portals may embed it. `*` means an
   * admin-only chart (saved by an admin without naming a tenant, or from a file written
   * before charts had tenants): only admins see it, and it cannot be embedded.
   */
  tenant_id: string;
  createdBy: string;
  createdAt: string;
}

interface ChartRow {
  id: string;
  tenant_id: string;
  title: string;
  chart_type: ChartType;
  query: string;
  created_by: string;
  created_at: string;
}

const chartOf = (row: ChartRow): SavedChart => ({
  id: row.id,
  title: row.title,
  chartType: row.chart_type,
  query: JSON.parse(row.query),
  tenant_id: row.tenant_id,
  createdBy: row.created_by,
  createdAt: row.created_at,
});

/** Whether a caller of this tenant (`*` = admin of every tenant) may see the chart. */
export function chartVisibleTo(chart: SavedChart, tenant_id: string): boolean {
  return tenant_id === ALL_TENANTS || chart.tenant_id === tenant_id;
}

/** Saved charts in the application database: every server on the same database sees the same charts. */
export class ChartStore {
  constructor(private readonly db: AppDb) {}

  /** Every chart, whoever it belongs to (for code that has already scoped its caller). */
  list(): SavedChart[] {
    return this.db.prepare<[], ChartRow>('SELECT * FROM charts ORDER BY created_at, id').all().map(chartOf);
  }

  /** The charts a caller of this tenant may see (`*`: all). */
  listFor(tenant_id: string): SavedChart[] {
    return this.list().filter((chart) => chartVisibleTo(chart, tenant_id));
  }

  get(id: string): SavedChart | undefined {
    const row = this.db.prepare<[string], ChartRow>('SELECT * FROM charts WHERE id = ?').get(id);
    return row && chartOf(row);
  }

  /** The chart, when a caller of this tenant may see it; otherwise undefined, as for an unknown id. */
  getFor(id: string, tenant_id: string): SavedChart | undefined {
    const chart = this.get(id);
    return chart && chartVisibleTo(chart, tenant_id) ? chart : undefined;
  }

  save(chart: Omit<SavedChart, 'id' | 'createdAt'>): SavedChart {
    if (typeof chart.tenant_id !== 'string' || !chart.tenant_id) throw new Error('A saved chart needs a tenant_id (or "*" for admin-only).');
    const saved: SavedChart = { ...chart, id: randomBytes(6).toString('base64url'), createdAt: new Date().toISOString() };
    this.insert(saved);
    return saved;
  }

  /** Deletes the chart; false when there was none. Its embeds stop at once (their chart is gone). */
  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM charts WHERE id = ?').run(id).changes > 0;
  }

  /**
   * Imports the saved-charts JSON file of earlier versions (CRM_CHARTS_FILE) once per database;
   * the file is left as it was. Charts saved before charts had tenants are admin-only (`*`):
   * nobody knows whose data their filters hold. Answers how many charts were imported (0 on a
   * later start, or when there is no file).
   */
  importFileOnce(file: string): number {
    if (!existsSync(file)) return 0;
    const step = `import ${file}`;
    if (this.db.prepare('SELECT 1 FROM app_events WHERE name = ?').get(step)) return 0;
    let list: SavedChart[];
    try {
      list = JSON.parse(readFileSync(file, 'utf8'));
      if (!Array.isArray(list)) throw new Error('expected a list of charts');
    } catch (e) {
      throw new Error(`Saved charts file ${file} is not valid: ${(e as Error).message}`);
    }
    return this.db
      .transaction(() => {
        if (this.db.prepare('SELECT 1 FROM app_events WHERE name = ?').get(step)) return 0;
        for (const chart of list) {
          const tenant_id = typeof chart.tenant_id === 'string' && chart.tenant_id ? chart.tenant_id : ALL_TENANTS;
          this.insert({ ...chart, tenant_id }, 'OR IGNORE');
        }
        this.db.prepare('INSERT INTO app_events (name, done_at, detail) VALUES (?, ?, ?)').run(step, new Date().toISOString(), `${list.length} charts`);
        return list.length;
      })
      .immediate();
  }

  private insert(chart: SavedChart, conflict: '' | 'OR IGNORE' = ''): void {
    this.db
      .prepare(`INSERT ${conflict} INTO charts (id, tenant_id, title, chart_type, query, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(chart.id, chart.tenant_id, chart.title, chart.chartType, JSON.stringify(chart.query), chart.createdBy, chart.createdAt);
  }
}
