import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Issue 19's flood (item 7), shared by test/cube/fairness.test.ts and the bench: one user sends
 * many distinct heavy queries and drops each before its answer, while another tenant's user
 * opens the board.
 */

const run = promisify(execFile);

/** The board's revenue tile for a period ending `n` days before the data's last day: a different query for each `n`, so never in Cube's cache. */
export function boardQuery(n: number) {
  const end = new Date(Date.UTC(2026, 9, 31) - n * 86_400_000).toISOString().slice(0, 10);
  return { measures: ['executive_kpis.revenue'], timeDimensions: [{ dimension: 'executive_kpis.ordered_at', dateRange: ['2025-11-01', end] }] };
}

/**
 * Cohort sizes and revenue by region over calendar months up to `i` days before the data's last
 * day: only categories and a day-grain date range, so a marketer may send it; no rollup has
 * `cohorts.month`, so each reads the member-month grid (0.7 s alone at 30,000 customers).
 */
export function heavyQuery(i: number) {
  const end = new Date(Date.UTC(2026, 9, 31) - i * 86_400_000).toISOString().slice(0, 10);
  return {
    measures: ['cohorts.cohort_customers', 'cohorts.cohort_revenue'],
    dimensions: ['cohorts.region'],
    timeDimensions: [{ dimension: 'cohorts.month', dateRange: ['2024-01-01', end] }],
    order: { 'cohorts.region': 'asc' },
  };
}

export const loadUrl = (url: string, query: unknown) => `${url}/cubejs-api/v1/load?query=${encodeURIComponent(JSON.stringify(query))}`;

/** Milliseconds until /load answers 200 (asking again on "Continue wait", as the web app does); Infinity after `limitMs`, and an error on any other answer. */
export async function timedLoad(url: string, query: unknown, token: string, limitMs = 60_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    const res = await fetch(loadUrl(url, query), { headers: { Authorization: token }, signal: AbortSignal.timeout(limitMs) }).catch(() => null);
    if (!res) break;
    const body = await res.json();
    if (res.status === 200 && body.error === 'Continue wait') continue;
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body)}`);
    return performance.now() - started;
  }
  return Infinity;
}

/** Fetches the URLs (argv[1], JSON) with the token (argv[2]), argv[3] at a time, dropping each request after argv[4] ms. */
const FLOOD_CLIENT = `(async () => {
  const urls = JSON.parse(process.argv[1]);
  const [parallel, dropAfterMs] = [Number(process.argv[3]), Number(process.argv[4])];
  let next = 0;
  const worker = async () => {
    while (next < urls.length) {
      const url = urls[next++];
      await fetch(url, { headers: { Authorization: process.argv[2] }, signal: AbortSignal.timeout(dropAfterMs) }).then((r) => r.text()).catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
})()`;

/**
 * The report's flood: `total` distinct heavy queries (heavyQuery 0, 1, …), `parallel` at a time,
 * each request dropped after `dropAfterMs`. From a process of its own, like the report's
 * client: its 200 ms are then 200 ms, whatever the server's thread is doing.
 */
export async function flood(url: string, token: string, { total = 150, parallel = 10, dropAfterMs = 200 } = {}): Promise<void> {
  const urls = Array.from({ length: total }, (_, i) => loadUrl(url, heavyQuery(i)));
  await run(process.execPath, ['-e', FLOOD_CLIENT, JSON.stringify(urls), token, String(parallel), String(dropAfterMs)]);
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
