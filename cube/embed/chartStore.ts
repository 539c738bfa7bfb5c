import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ALL_TENANTS } from '../auth/securityContext.js';
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

/** Whether a caller of this tenant (`*` = admin of every tenant) may see the chart. */
export function chartVisibleTo(chart: SavedChart, tenant_id: string): boolean {
  return tenant_id === ALL_TENANTS || chart.tenant_id === tenant_id;
}

/** Saved charts in one JSON file, written atomically (temp file + rename) so a crash loses nothing. */
export class ChartStore {
  private charts: Map<string, SavedChart>;

  constructor(private readonly file: string) {
    this.charts = new Map();
    if (existsSync(file)) {
      let list: SavedChart[];
      try {
        list = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new Error(`Saved charts file ${file} is not valid JSON: ${(e as Error).message}`);
      }
      for (const chart of list) {
        // Charts saved before charts had tenants: nobody knows whose data their filters hold,
        // so only admins see them until one is saved again for a tenant.
        const tenant_id = typeof chart.tenant_id === 'string' && chart.tenant_id ? chart.tenant_id : ALL_TENANTS;
        this.charts.set(chart.id, { ...chart, tenant_id });
      }
    }
  }

  /** Every chart, whoever it belongs to (for code that has already scoped its caller). */
  list(): SavedChart[] {
    return [...this.charts.values()];
  }

  /** The charts a caller of this tenant may see (`*`: all). */
  listFor(tenant_id: string): SavedChart[] {
    return this.list().filter((chart) => chartVisibleTo(chart, tenant_id));
  }

  get(id: string): SavedChart | undefined {
    return this.charts.get(id);
  }

  /** The chart, when a caller of this tenant may see it; otherwise undefined, as for an unknown id. */
  getFor(id: string, tenant_id: string): SavedChart | undefined {
    const chart = this.charts.get(id);
    return chart && chartVisibleTo(chart, tenant_id) ? chart : undefined;
  }

  save(chart: Omit<SavedChart, 'id' | 'createdAt'>): SavedChart {
    if (typeof chart.tenant_id !== 'string' || !chart.tenant_id) throw new Error('A saved chart needs a tenant_id (or "*" for admin-only).');
    const saved: SavedChart = { ...chart, id: randomBytes(6).toString('base64url'), createdAt: new Date().toISOString() };
    this.charts.set(saved.id, saved);
    this.persist();
    return saved;
  }

  private persist(): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.list(), null, 2)}\n`);
    renameSync(temp, this.file);
  }
}
