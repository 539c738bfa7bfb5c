import { Tab, TabGroup, TabList, Text } from '@tremor/react';
import { useCallback, useState, type ReactNode } from 'react';
import { LoginPage } from './auth/LoginPage';
import { BoardPage } from './board/BoardPage';
import { CampaignsPage } from './campaigns/CampaignsPage';
import { ClvCheckPage } from './clv/ClvCheckPage';
import { CohortsPage } from './cohorts/CohortsPage';
import { CustomerPage } from './customer/CustomerPage';
import { CUSTOMER_360_MEMBER } from './customer/customerQueries';
import type { Catalog } from './data/catalog';
import { signOut, storedSession, type Session } from './data/session';
import { SessionProvider } from './data/SessionContext';
import { useCatalog } from './data/useCatalog';
import { ExplorePage } from './explore/ExplorePage';
import { SegmentsPage } from './segments/SegmentsPage';
import { VisibleTenantsCurrency } from './ui/currency';
import { ErrorCallout } from './ui/ErrorCallout';
import { LANGS, translate, type Lang, type MessageKey } from './ui/i18n';
import { LangContext } from './ui/LangContext';
import { useUrlState } from './ui/urlState';

interface PageProps {
  catalog: Catalog;
  params: URLSearchParams;
  setParams: (set: Record<string, string | null>) => void;
}

/**
 * Pages in navigation order; a page shows when the role's catalog has the view (and member) it
 * needs. Customer 360 is one person's data: only for roles that see personal data (the name).
 */
const PAGES: { id: string; label: MessageKey; view: string; member?: string; render: (p: PageProps) => ReactNode }[] = [
  { id: 'board', label: 'nav.board', view: 'executive_kpis', render: (p) => <BoardPage {...p} /> },
  {
    id: 'segments',
    label: 'nav.segments',
    view: 'customer_segments',
    render: (p) => (
      <VisibleTenantsCurrency catalog={p.catalog}>
        <SegmentsPage {...p} />
      </VisibleTenantsCurrency>
    ),
  },
  {
    id: 'cohorts',
    label: 'nav.cohorts',
    view: 'cohorts',
    render: (p) => (
      <VisibleTenantsCurrency catalog={p.catalog}>
        <CohortsPage {...p} />
      </VisibleTenantsCurrency>
    ),
  },
  {
    id: 'campaigns',
    label: 'nav.campaigns',
    view: 'campaign_performance',
    render: (p) => (
      <VisibleTenantsCurrency catalog={p.catalog}>
        <CampaignsPage {...p} />
      </VisibleTenantsCurrency>
    ),
  },
  { id: 'customer', label: 'nav.customer', view: 'customer_orders', member: CUSTOMER_360_MEMBER, render: (p) => <CustomerPage {...p} /> },
  { id: 'clv', label: 'nav.clv', view: 'clv_tracking', render: (p) => <ClvCheckPage {...p} /> },
  { id: 'explore', label: 'nav.explore', view: '', render: (p) => <ExplorePage {...p} /> },
];

function Workspace({ page, params, update, lang }: { page: string; params: URLSearchParams; update: (c: { page?: string; set?: Record<string, string | null> }) => void; lang: Lang }) {
  const { catalog, error } = useCatalog();
  const setParams = useCallback((set: Record<string, string | null>) => update({ set }), [update]);
  if (error) return <ErrorCallout error={error} />;
  if (!catalog) return <Text>{translate(lang, 'state.loading')}</Text>;
  const pages = PAGES.filter((p) => (!p.view || catalog.view(p.view)) && (!p.member || catalog.member(p.member)));
  const current = pages.find((p) => p.id === page) ?? pages[0];
  return (
    <>
      <TabGroup
        className="mb-6"
        index={pages.indexOf(current)}
        onIndexChange={(i) => update({ page: pages[i].id, set: Object.fromEntries([...params.keys()].filter((k) => k !== 'lang' && k !== 'tenant').map((k) => [k, null])) })}
      >
        <TabList variant="line">
          {pages.map((p) => (
            <Tab key={p.id} data-testid={`nav-${p.id}`}>
              {translate(lang, p.label)}
            </Tab>
          ))}
        </TabList>
      </TabGroup>
      {current.render({ catalog, params, setParams })}
    </>
  );
}

export function App() {
  const [url, update] = useUrlState();
  const lang: Lang = url.params.get('lang') === 'en' ? 'en' : 'ja';
  const [session, setSession] = useState<Session | null>(storedSession);
  const onUnauthorized = useCallback(() => {
    signOut();
    setSession(null);
  }, []);
  const t = (key: MessageKey) => translate(lang, key);

  return (
    <LangContext.Provider value={lang}>
      <header className="border-b border-tremor-border bg-white">
        <div className="mx-auto flex max-w-7xl items-center justify-between gap-4 px-6 py-3">
          <span className="whitespace-nowrap text-lg font-semibold text-tremor-brand-emphasis">{t('appName')}</span>
          <div className="flex items-center gap-3 text-tremor-default">
            {LANGS.map((l) => (
              <button
                key={l}
                type="button"
                data-testid={`lang-${l}`}
                onClick={() => update({ set: { lang: l } })}
                className={`whitespace-nowrap ${l === lang ? 'font-semibold text-tremor-brand' : 'text-tremor-content'}`}
              >
                {l === 'ja' ? '日本語' : 'English'}
              </button>
            ))}
            {session && (
              <>
                <span className="whitespace-nowrap text-tremor-content-subtle" data-testid="identity">
                  {session.identity.sub ?? session.identity.role} · {session.identity.tenant_id}
                </span>
                <button type="button" className="whitespace-nowrap text-tremor-content" onClick={onUnauthorized}>
                  {t('nav.signOut')}
                </button>
              </>
            )}
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-6 py-4">
        {session ? (
          <SessionProvider session={session} onUnauthorized={onUnauthorized}>
            <Workspace page={url.page} params={url.params} update={update} lang={lang} />
          </SessionProvider>
        ) : (
          <LoginPage onSession={setSession} />
        )}
      </main>
    </LangContext.Provider>
  );
}
