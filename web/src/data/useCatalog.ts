import { useEffect, useState } from 'react';
import { buildCatalog, type Catalog } from './catalog';
import { readableError, type ReadableError } from './cubeApi';
import { useSessionContext } from './SessionContext';

/** The catalog of the model (from /meta), loaded once per session. */
export function useCatalog(): { catalog: Catalog | null; error: ReadableError | null } {
  const { cubeApi, onUnauthorized } = useSessionContext();
  const [state, setState] = useState<{ catalog: Catalog | null; error: ReadableError | null }>({ catalog: null, error: null });
  useEffect(() => {
    let live = true;
    cubeApi
      .meta()
      .then((meta) => live && setState({ catalog: buildCatalog((meta as unknown as { cubes: never[] }).cubes), error: null }))
      .catch((e: unknown) => {
        const error = readableError(e);
        if (error.key === 'error.auth') onUnauthorized();
        if (live) setState({ catalog: null, error });
      });
    return () => {
      live = false;
    };
  }, [cubeApi, onUnauthorized]);
  return state;
}
