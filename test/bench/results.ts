/**
 * One benchmark figure beside its peer from the same run, as printed and as written to the
 * results JSON (`--json`): size, runs, median and p95, the peer's median and the ratio.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Timing {
  runs: number;
  median: number;
  p95: number;
}

export interface BenchResult {
  benchmark: string;
  name: string;
  /** What the figure was measured on, e.g. "200,000 customers". */
  size: string;
  unit: string;
  runs: number;
  median: number;
  p95: number;
  peer: { name: string; median: number; p95: number; runs: number };
  /** peer median / this median: above 1 means this is faster than its peer. */
  ratio: number;
  note?: string;
}

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

export function timing(samples: number[]): Timing {
  if (!samples.length) throw new Error('A timing needs at least one run.');
  return { runs: samples.length, median: percentile(samples, 50), p95: percentile(samples, 95) };
}

export function result(benchmark: string, name: string, size: string, unit: string, own: Timing, peerName: string, peer: Timing, note?: string): BenchResult {
  return { benchmark, name, size, unit, ...own, peer: { name: peerName, ...peer }, ratio: peer.median / own.median, ...(note ? { note } : {}) };
}

const fixed = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

/** One line: name, size, own median/p95 (runs), the peer's, and the ratio. */
export function formatResult(r: BenchResult, nameWidth = 44): string {
  const own = `${fixed(r.median).padStart(7)} / ${fixed(r.p95).padStart(7)} ${r.unit} (${r.runs})`;
  const peer = `${r.peer.name} ${fixed(r.peer.median).padStart(7)} / ${fixed(r.peer.p95).padStart(7)} ${r.unit} (${r.peer.runs})`;
  return `${r.name.padEnd(nameWidth)} ${own}   ${peer}   x${r.ratio.toFixed(1)}${r.note ? `  ${r.note}` : ''}`;
}

/** Every figure of a run, written once at the end (and after a failure, what was measured so far). */
export class BenchResults {
  readonly results: BenchResult[] = [];

  add(r: BenchResult): void {
    this.results.push(r);
  }

  write(file: string, run: Record<string, unknown>): void {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ ...run, results: this.results }, null, 2)}\n`);
  }
}
