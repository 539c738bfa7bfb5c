import { createContext, useContext } from 'react';
import { translate, type Lang, type MessageKey } from './i18n';

export const LangContext = createContext<Lang>('ja');

/** `t(key)` in the current language, and the language itself. */
export function useT(): { t: (key: MessageKey, params?: Record<string, string | number>) => string; lang: Lang } {
  const lang = useContext(LangContext);
  return { t: (key, params) => translate(lang, key, params), lang };
}
