import { useEffect, useState } from 'react';
import { useSessionContext } from '../data/SessionContext';
import type { MatrixCell } from './cohortQueries';
import { cohortMatrixSql, EXTRACT_TABLE, SLICE_DIMENSIONS, type Slice, type SliceDimension } from './slicing/cohortMatrixSql';
import { loadArrow, queryRows, startEngine } from './slicing/engine';
import { fetchExtract } from './slicing/fetchExtract';

/** One download per identity (a renewed token sees the same rows), however many times the page mounts (React StrictMode mounts twice). */
const extracts = new Map<string, { progress: Set<(f: number) => void>; done: Promise<{ minGroupSize: number }> }>();

function loadExtractOnce(identity: string, token: () => Promise<string>, onProgress: (fraction: number) => void): Promise<{ minGroupSize: number }> {
  let entry = extracts.get(identity);
  if (!entry) {
    // The browser holds one extract table: whoever loaded before (another sign-in) is forgotten.
    extracts.clear();
    const progress = new Set<(f: number) => void>();
    // The engine starts while the extract downloads, not after.
    startEngine();
    const done = token()
      .then((t) => fetchExtract('cohort-activity', t, (f) => progress.forEach((p) => p(f))))
      .then(async ({ ipc, minGroupSize }) => {
        await loadArrow(EXTRACT_TABLE, ipc);
        return { minGroupSize };
      });
    entry = { progress, done };
    extracts.set(identity, entry);
    done.catch(() => extracts.delete(identity));
  }
  entry.progress.add(onProgress);
  return entry.done;
}

/**
 * Loads the cohort extract into DuckDB-WASM once (with progress), then recomputes the matrix
 * in the browser for any slice, without a server round trip.
 */
export function useCohortSlice(slice: Slice) {
  const { session, token } = useSessionContext();
  const identity = `${session.identity.tenant_id}|${session.identity.role}|${session.identity.sub ?? ''}`;
  const [progress, setProgress] = useState(0);
  const [ready, setReady] = useState(false);
  const [minGroupSize, setMinGroupSize] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [values, setValues] = useState<Partial<Record<SliceDimension, string[]>>>({});
  // Cells with the slice they were computed for: a slice's matrix is shown only when it is its own.
  const [computed, setComputed] = useState<{ key: string; cells: MatrixCell[] } | null>(null);
  const [millis, setMillis] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    loadExtractOnce(identity, token, (f) => live && setProgress(f))
      .then(async (extract) => {
        const distinct = await Promise.all(
          SLICE_DIMENSIONS.map(async (d) => [d, (await queryRows<{ v: string }>(`SELECT DISTINCT ${d} AS v FROM ${EXTRACT_TABLE} WHERE ${d} IS NOT NULL ORDER BY 1`)).map((r) => r.v)] as const),
        );
        if (live) {
          setValues(Object.fromEntries(distinct));
          setMinGroupSize(extract.minGroupSize);
          setReady(true);
        }
      })
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [identity, token]);

  // The slice by value: callers may pass an equal object on every render.
  const key = JSON.stringify(slice);
  useEffect(() => {
    const slice = JSON.parse(key) as Slice;
    if (!ready || !Object.values(slice).some(Boolean)) {
      setComputed(null);
      return;
    }
    let live = true;
    const started = performance.now();
    queryRows<Omit<MatrixCell, 'suppressedBelow' | 'figuresBelow'> & { suppressed: boolean }>(cohortMatrixSql(slice, minGroupSize))
      .then((rows) => {
        if (!live) return;
        setMillis(performance.now() - started);
        setComputed({
          key,
          cells: rows.map(({ suppressed, ...r }) => ({
            ...r,
            month_offset: Number(r.month_offset),
            members: r.members === null ? null : Number(r.members),
            suppressedBelow: suppressed ? minGroupSize : null,
            figuresBelow: minGroupSize || null,
          })),
        });
      })
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [ready, key, minGroupSize]);

  const cells = computed?.key === key ? computed.cells : null;
  return { progress, ready, error, values, cells, millis };
}
