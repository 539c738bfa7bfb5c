import { useEffect, useState } from 'react';
import { buildCatalog, type Catalog } from './catalog';
import { readableError, type ReadableError } from './cubeApi';
import { useSessionContext } from './SessionContext';

/**
 * The catalog of the model (from /meta). Loaded at sign-in and again whenever the window gets
 * focus back: an analyst who adds a measure in an editor and returns to the browser finds it in
 * Explore without reloading. An unchanged model keeps the same catalog object (no re-render).
 */
export function useCatalog(): { catalog: Catalog | null; error: ReadableError | null } {
  const { cubeApi, onUnauthorized } = useSessionContext();
  const [state, setState] = useState<{ catalog: Catalog | null; error: ReadableError | null; text: string }>({ catalog: null, error: null, text: '' });
  useEffect(() => {
    let live = true;
    const load = () => {
      cubeApi
        .meta()
        .then((meta) => {
          const cubes = (meta as unknown as { cubes: never[] }).cubes;
          const text = JSON.stringify(cubes);
          if (live) setState((old) => (old.text === text ? old : { catalog: buildCatalog(cubes), error: null, text }));
        })
        .catch((e: unknown) => {
          const error = readableError(e);
          if (error.key === 'error.auth') onUnauthorized();
          // A failed refresh keeps the catalog it had; only a first load shows the error.
          if (live) setState((old) => (old.catalog ? old : { catalog: null, error, text: '' }));
        });
    };
    load();
    const onVisible = () => {
      if (document.visibilityState === 'visible') load();
    };
    window.addEventListener('focus', load);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      live = false;
      window.removeEventListener('focus', load);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [cubeApi, onUnauthorized]);
  return { catalog: state.catalog, error: state.error };
}
