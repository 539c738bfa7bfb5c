import { useCallback, useEffect, useState } from 'react';

/**
 * The view's state lives in the URL (path = page, query string = everything else), so a
 * view can be shared by copying the address.
 */
export interface UrlState {
  page: string;
  params: URLSearchParams;
}

function read(): UrlState {
  const page = window.location.pathname.replace(/^\/+|\/+$/g, '') || 'board';
  return { page, params: new URLSearchParams(window.location.search) };
}

export function useUrlState(): [UrlState, (change: { page?: string; set?: Record<string, string | null> }) => void] {
  const [state, setState] = useState(read);
  useEffect(() => {
    const onPop = () => setState(read());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const update = useCallback((change: { page?: string; set?: Record<string, string | null> }) => {
    const current = read();
    const params = new URLSearchParams(current.params);
    for (const [key, value] of Object.entries(change.set ?? {})) {
      if (value === null || value === '') params.delete(key);
      else params.set(key, value);
    }
    const page = change.page ?? current.page;
    const search = params.toString();
    window.history.pushState(null, '', `/${page}${search ? `?${search}` : ''}`);
    setState({ page, params });
  }, []);
  return [state, update];
}
