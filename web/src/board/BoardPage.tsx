import { AreaChart, BarList, Card, Flex, Grid, Select, SelectItem, Tab, TabGroup, TabList, Text, Title } from '@tremor/react';
import { useMemo } from 'react';
import type { Catalog, CatalogMember } from '../data/catalog';
import { useCubeQuery } from '../data/useCubeQuery';
import { useSessionContext } from '../data/SessionContext';
import { ErrorCallout } from '../ui/ErrorCallout';
import { ExportButton } from '../ui/ExportButton';
import { formatMonth, formatValue } from '../ui/i18n';
import { useT } from '../ui/LangContext';
import { breakdownQuery, lastMonthQuery, monthlyQuery, periodContaining, type Period, type PeriodKind } from './boardQueries';
import { KgiTree } from './KgiTree';
import { KpiTile } from './KpiTile';
import { BOARD_KPIS, useBoardView, type KpiFigure } from './useBoard';

const PERIOD_KINDS: PeriodKind[] = ['month', 'quarter', 'year', 'custom'];

interface BoardPageProps {
  catalog: Catalog;
  params: URLSearchParams;
  setParams: (set: Record<string, string | null>) => void;
}

/** Tiles of the KPIs that live in one view (one hook call per view keeps the queries batched). */
function ViewTiles({ catalog, view, members, period, tenant }: { catalog: Catalog; view: string; members: CatalogMember[]; period: Period; tenant: string | null }) {
  const { figures, isLoading, error } = useBoardView(catalog, view, members, period, tenant);
  return (
    <>
      {figures.map((f) => <KpiTile key={f.kpi} figure={f} isLoading={isLoading} />)}
      {error && <ErrorCallout error={error} />}
    </>
  );
}

export function BoardPage({ catalog, params, setParams }: BoardPageProps) {
  const { t, lang } = useT();
  const { session } = useSessionContext();
  const revenue = catalog.byKpi('revenue');
  const view = revenue?.view ?? '';
  const timeDimension = catalog.view(view)?.timeDimension ?? '';
  const channel = catalog.dimensionByRole(view, 'channel');
  const region = catalog.dimensionByRole(view, 'region');
  const tenantDimension = catalog.dimensionByRole(view, 'tenant');
  const tenantName = catalog.view(view)?.dimensions.find((d) => d.name.endsWith('tenant_name'));
  const multiTenant = session.identity.tenant_id === '*';
  const tenant = multiTenant ? params.get('tenant') : null;
  const kind = (PERIOD_KINDS.includes(params.get('period') as PeriodKind) ? params.get('period') : 'month') as PeriodKind;

  const last = useCubeQuery(revenue ? lastMonthQuery(revenue.name, timeDimension) : null);
  const lastDay = (last.resultSet?.tablePivot()[0]?.[`${timeDimension}.day`] as string | undefined)?.slice(0, 10);
  const period: Period | null = useMemo(() => {
    if (!lastDay) return null;
    if (kind === 'custom') return { kind, start: params.get('from') ?? periodContaining('quarter', lastDay).start, end: params.get('to') ?? lastDay };
    return periodContaining(kind, lastDay);
  }, [kind, lastDay, params]);

  const tenants = useCubeQuery(multiTenant && revenue && tenantDimension ? { measures: [revenue.name], dimensions: [tenantDimension.name, ...(tenantName ? [tenantName.name] : [])], order: { [tenantDimension.name]: 'asc' } } : null);
  const scope = { tenantDimension: tenantDimension?.name, tenant };
  const byMonth = useCubeQuery(revenue && channel && period ? monthlyQuery([revenue.name], timeDimension, period.end, 12, scope, [channel.name]) : null);
  const byChannel = useCubeQuery(revenue && channel && period ? breakdownQuery(revenue.name, channel.name, timeDimension, period, scope) : null);
  const byRegion = useCubeQuery(revenue && region && period ? breakdownQuery(revenue.name, region.name, timeDimension, period, scope) : null);

  const kpiMembers = BOARD_KPIS.map((k) => catalog.byKpi(k));
  const views = [...new Set(kpiMembers.filter((m): m is CatalogMember => !!m).map((m) => m.view))];
  const missing = BOARD_KPIS.filter((k, i) => !kpiMembers[i]);

  const monthRows = useMemo(() => {
    if (!byMonth.resultSet || !channel || !revenue) return [];
    const rows = new Map<string, Record<string, string | number>>();
    for (const r of byMonth.resultSet.tablePivot() as Record<string, string>[]) {
      const month = r[`${timeDimension}.month`];
      const row = rows.get(month) ?? { month: formatMonth(month, lang) };
      row[t(`channel.${r[channel.name]}`)] = Number(r[revenue.name] ?? 0);
      rows.set(month, row);
    }
    return [...rows.values()];
  }, [byMonth.resultSet, channel, revenue, timeDimension, lang, t]);
  const bars = (rs: typeof byChannel.resultSet, dim?: CatalogMember, label = (v: string) => v) =>
    (rs?.tablePivot() ?? []).map((r) => ({ name: label(String(r[dim!.name])), value: Number(r[revenue!.name] ?? 0) }));

  if (!revenue) return <Text>{t('board.notInModel')}: revenue</Text>;
  return (
    <div className="space-y-6">
      <Flex justifyContent="between" alignItems="end" className="flex-wrap gap-4">
        <div>
          <Title>{t('board.title')}</Title>
          {period && <p className="text-tremor-default text-tremor-content" data-testid="board-period">{period.start} – {period.end}</p>}
        </div>
        <Flex justifyContent="end" className="w-auto flex-wrap gap-3">
          {multiTenant && (
            <Select className="w-56" value={tenant ?? ''} onValueChange={(v) => setParams({ tenant: v || null })} placeholder={t('board.allTenants')} data-testid="tenant-picker">
              {[<SelectItem key="" value="">{t('board.allTenants')}</SelectItem>,
                ...((tenants.resultSet?.tablePivot() ?? []) as Record<string, string>[]).map((r) => (
                  <SelectItem key={r[tenantDimension!.name]} value={r[tenantDimension!.name]}>{tenantName ? r[tenantName.name] : r[tenantDimension!.name]}</SelectItem>
                ))]}
            </Select>
          )}
          <TabGroup index={PERIOD_KINDS.indexOf(kind)} onIndexChange={(i) => setParams({ period: PERIOD_KINDS[i] })}>
            <TabList variant="solid">{PERIOD_KINDS.map((k) => <Tab key={k} data-testid={`period-${k}`}>{t(`period.${k}`)}</Tab>)}</TabList>
          </TabGroup>
          {kind === 'custom' && period && (
            <Flex className="w-auto gap-2">
              <input type="date" aria-label="from" className="rounded-tremor-default border-tremor-border text-tremor-default" value={period.start} onChange={(e) => setParams({ from: e.target.value })} />
              <input type="date" aria-label="to" className="rounded-tremor-default border-tremor-border text-tremor-default" value={period.end} onChange={(e) => setParams({ to: e.target.value })} />
            </Flex>
          )}
        </Flex>
      </Flex>

      {last.error && <ErrorCallout error={last.error} />}
      {period && (
        <Grid numItemsSm={2} numItemsLg={4} className="gap-4" data-testid="kpi-tiles">
          {views.map((v) => (
            <ViewTiles key={v} catalog={catalog} view={v} members={kpiMembers.filter((m): m is CatalogMember => m?.view === v)} period={period} tenant={tenant} />
          ))}
          {missing.map((k) => <KpiTile key={k} figure={{ kpi: k, value: null, previous: null, change: null, attainment: null, trend: [], suppressed: false } as KpiFigure} isLoading={false} />)}
        </Grid>
      )}

      {period && <KgiTree catalog={catalog} period={period} tenant={tenant} />}

      <Grid numItemsLg={3} className="gap-4">
        <Card className="lg:col-span-2">
          <Flex><Title>{t('board.revenueByMonth')}</Title><ExportButton filename="revenue-by-month" rows={monthRows} /></Flex>
          {byMonth.error ? <ErrorCallout error={byMonth.error} /> : (
            <AreaChart className="mt-4 h-72" data={monthRows} index="month" categories={['store', 'ec', 'app'].map((c) => t(`channel.${c}`))}
              colors={['indigo', 'cyan', 'amber']} stack valueFormatter={(v) => formatValue(v, 'currency', lang, { compact: true })} noDataText={byMonth.isLoading ? t('state.loading') : t('state.empty')} />
          )}
        </Card>
        <div className="space-y-4">
          <Card>
            <Flex><Title>{t('board.revenueByChannel')}</Title><ExportButton filename="revenue-by-channel" rows={bars(byChannel.resultSet, channel)} /></Flex>
            <BarList className="mt-4" data={bars(byChannel.resultSet, channel, (v) => t(`channel.${v}`))} valueFormatter={(v: number) => formatValue(v, 'currency', lang, { compact: true })} color="indigo" />
          </Card>
          <Card>
            <Flex><Title>{t('board.revenueByRegion')}</Title><ExportButton filename="revenue-by-region" rows={bars(byRegion.resultSet, region)} /></Flex>
            <BarList className="mt-4" data={bars(byRegion.resultSet, region)} valueFormatter={(v: number) => formatValue(v, 'currency', lang, { compact: true })} color="cyan" />
          </Card>
        </div>
      </Grid>
    </div>
  );
}
