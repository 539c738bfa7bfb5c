import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CubeQuery } from '../policy/queryMembers.js';

export const CHART_TYPES = ['kpi', 'line', 'area', 'bar', 'donut', 'table'] as const;
export type ChartType = (typeof CHART_TYPES)[number];

/** A saved chart: the query it runs and how it is drawn. */
export interface SavedChart {
  id: string;
  title: string;
  chartType: ChartType;
  query: CubeQuery;
  createdBy: string;
  createdAt: string;
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
      for (const chart of list) this.charts.set(chart.id, chart);
    }
  }

  list(): SavedChart[] {
    return [...this.charts.values()];
  }

  get(id: string): SavedChart | undefined {
    return this.charts.get(id);
  }

  save(chart: Omit<SavedChart, 'id' | 'createdAt'>): SavedChart {
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
