import { Tab, TabGroup, TabList, Text } from '@tremor/react';
import { useCallback, useState } from 'react';
import { LoginPage } from './auth/LoginPage';
import { BoardPage } from './board/BoardPage';
import { CohortsPage } from './cohorts/CohortsPage';
import { signOut, storedSession, type Session } from './data/session';
import { SessionProvider } from './data/SessionContext';
import { useCatalog } from './data/useCatalog';
import { ErrorCallout } from './ui/ErrorCallout';
import { LANGS, translate, type Lang } from './ui/i18n';
import { LangContext, useT } from './ui/LangContext';
import { useUrlState } from './ui/urlState';

/** Pages, in navigation order; a role sees the ones it may use. */
const PAGES = [
  { id: 'board', label: 'nav.board' },
  { id: 'cohorts', label: 'nav.cohorts' },
] as const;

function Pages({ page, params, setParams }: { page: string; params: URLSearchParams; setParams: (set: Record<string, string | null>) => void }) {
  const { catalog, error } = useCatalog();
  const { t } = useT();
  if (error) return <ErrorCallout error={error} />;
  if (!catalog) return <Text>{t('state.loading')}</Text>;
  switch (page) {
    case 'cohorts':
      return <CohortsPage catalog={catalog} params={params} setParams={setParams} />;
    default:
      return <BoardPage catalog={catalog} params={params} setParams={setParams} />;
  }
}

export function App() {
  const [url, update] = useUrlState();
  const lang: Lang = url.params.get('lang') === 'en' ? 'en' : 'ja';
  const [session, setSession] = useState<Session | null>(storedSession);
  const onUnauthorized = useCallback(() => {
    signOut();
    setSession(null);
  }, []);
  const setParams = useCallback((set: Record<string, string | null>) => update({ set }), [update]);
  const t = (key: string) => translate(lang, key);

  return (
    <LangContext.Provider value={lang}>
      <header className="border-b border-tremor-border bg-white">
        <div className="mx-auto flex max-w-7xl items-center justify-between gap-4 px-6 py-3">
          <span className="whitespace-nowrap text-lg font-semibold text-tremor-brand-emphasis">{t('appName')}</span>
          {session && (
            <TabGroup index={Math.max(0, PAGES.findIndex((p) => p.id === url.page))} onIndexChange={(i) => update({ page: PAGES[i].id })}>
              <TabList variant="line">{PAGES.map((p) => <Tab key={p.id}>{t(p.label)}</Tab>)}</TabList>
            </TabGroup>
          )}
          <div className="flex items-center gap-3 text-tremor-default">
            {LANGS.map((l) => (
              <button key={l} type="button" data-testid={`lang-${l}`} onClick={() => setParams({ lang: l })}
                className={`whitespace-nowrap ${l === lang ? 'font-semibold text-tremor-brand' : 'text-tremor-content'}`}>{l === 'ja' ? '日本語' : 'English'}</button>
            ))}
            {session && (
              <>
                <span className="whitespace-nowrap text-tremor-content-subtle" data-testid="identity">{session.identity.sub ?? session.identity.role} · {session.identity.tenant_id}</span>
                <button type="button" className="whitespace-nowrap text-tremor-content" onClick={onUnauthorized}>{t('nav.signOut')}</button>
              </>
            )}
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-6 py-6">
        {session ? (
          <SessionProvider session={session} onUnauthorized={onUnauthorized}>
            <Pages page={url.page} params={url.params} setParams={setParams} />
          </SessionProvider>
        ) : (
          <LoginPage onSession={setSession} />
        )}
      </main>
    </LangContext.Provider>
  );
}
