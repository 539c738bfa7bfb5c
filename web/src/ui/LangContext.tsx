import { createContext, useContext } from 'react';
import { translate, type Lang } from './i18n';

export const LangContext = createContext<Lang>('ja');

/** `t(key)` in the current language, and the language itself. */
export function useT(): { t: (key: string, params?: Record<string, string | number>) => string; lang: Lang } {
  const lang = useContext(LangContext);
  return { t: (key, params) => translate(lang, key, params), lang };
}
