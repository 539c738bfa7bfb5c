import { AreaChart, Card, Flex, Grid, Select, SelectItem, Tab, TabGroup, TabList, Text, Title } from '@tremor/react';
import { useMemo } from 'react';
import type { Catalog, CatalogMember } from '../data/catalog';
import { useCubeQuery } from '../data/useCubeQuery';
import { useSessionContext } from '../data/SessionContext';
import { ErrorCallout } from '../ui/ErrorCallout';
import { ExportButton } from '../ui/ExportButton';
import { formatMonth, formatValue, valueLabel } from '../ui/i18n';
import { useT } from '../ui/LangContext';
import { breakdownQuery, lastMonthQuery, monthlyQuery, periodContaining, type Period, type PeriodKind } from './boardQueries';
import { BoardBreakdown } from './BoardBreakdown';
import { BoardMonthlyTable } from './BoardMonthlyTable';
import { bars, monthlyTable, splitByMonth } from './boardSeries';
import { KgiTree } from './KgiTree';
import { KpiTile } from './KpiTile';
import { BOARD_KPIS, useBoardView, type KpiFigure } from './useBoard';

const PERIOD_KINDS: PeriodKind[] = ['month', 'quarter', 'year', 'custom'];
/** Channels in a fixed order, so each keeps its colour whatever the data holds. */
const CHANNELS = ['store', 'ec', 'app'];
const CHANNEL_COLORS = ['indigo', 'cyan', 'amber', 'emerald', 'violet'];
/** The monthly table's columns, by KPI key. */
const TABLE_KPIS = ['revenue', 'orders', 'active_customers'];

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
  const byTenant = useCubeQuery(revenue && tenantDimension && period && multiTenant && !tenant
    ? { ...breakdownQuery(revenue.name, tenantDimension.name, timeDimension, period, scope), dimensions: [tenantDimension.name, ...(tenantName ? [tenantName.name] : [])] }
    : null);
  const tableColumns = TABLE_KPIS.map((k) => catalog.byKpi(k)).filter((m): m is CatalogMember => m?.view === view);
  const monthly = useCubeQuery(period && tableColumns.length ? monthlyQuery(tableColumns.map((m) => m.name), timeDimension, period.end, 12, scope) : null);

  const kpiMembers = BOARD_KPIS.map((k) => catalog.byKpi(k));
  const views = [...new Set(kpiMembers.filter((m): m is CatalogMember => !!m).map((m) => m.view))];
  const missing = BOARD_KPIS.filter((k, i) => !kpiMembers[i]);

  const channelLabel = (v: string) => valueLabel(lang, 'channel', v);
  const trend = useMemo(() => {
    if (!byMonth.resultSet || !channel || !revenue) return { series: [], categories: [] };
    const split = splitByMonth(byMonth.resultSet.tablePivot(), `${timeDimension}.month`, channel.name, revenue.name, channelLabel, (iso) => formatMonth(iso, lang));
    const rank = (c: string) => { const i = CHANNELS.map((k) => t(`channel.${k}`)).indexOf(c); return i < 0 ? CHANNELS.length : i; };
    return { ...split, categories: [...split.categories].sort((a, b) => rank(a) - rank(b)) };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [byMonth.resultSet, channel, revenue, timeDimension, lang]);
  const monthlyRows = useMemo(() => monthlyTable(monthly.resultSet?.tablePivot() ?? [], `${timeDimension}.month`, tableColumns.map((m) => m.name)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [monthly.resultSet, timeDimension, tableColumns.map((m) => m.name).join()]);
  const items = (rs: typeof byChannel.resultSet, dim: CatalogMember | undefined, label?: (r: Record<string, unknown>) => string) =>
    rs && dim && revenue ? bars(rs.tablePivot(), dim.name, revenue.name, label) : [];
  const showTenants = multiTenant && !tenant && !!tenantDimension;

  if (!revenue) return <Text>{t('board.notInModel')}: revenue</Text>;
  return (
    <div className="space-y-6">
      <Flex justifyContent="between" alignItems="end" className="flex-wrap gap-4">
        <div>
          <Title>{t('board.title')}</Title>
          {period && <p className="text-tremor-default text-tremor-content" data-testid="board-period">{period.start} – {period.end}</p>}
        </div>
        <Flex justifyContent="end" className="w-auto flex-wrap gap-3 md:flex-nowrap">
          {multiTenant && (
            <Select className="w-56 shrink-0" value={tenant ?? ''} onValueChange={(v) => setParams({ tenant: v || null })} placeholder={t('board.allTenants')} data-testid="tenant-picker">
              {[<SelectItem key="" value="">{t('board.allTenants')}</SelectItem>,
                ...((tenants.resultSet?.tablePivot() ?? []) as Record<string, string>[]).map((r) => (
                  <SelectItem key={r[tenantDimension!.name]} value={r[tenantDimension!.name]}>{tenantName ? r[tenantName.name] : r[tenantDimension!.name]}</SelectItem>
                ))]}
            </Select>
          )}
          <TabGroup className="w-auto shrink-0" index={PERIOD_KINDS.indexOf(kind)} onIndexChange={(i) => setParams({ period: PERIOD_KINDS[i] })}>
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
          {missing.map((k) => <KpiTile key={k} figure={{ kpi: k, value: null, previous: null, change: null, attainment: null, trend: [], suppressedBelow: null } as KpiFigure} isLoading={false} />)}
        </Grid>
      )}

      {period && <KgiTree catalog={catalog} period={period} tenant={tenant} />}

      <Grid numItemsLg={3} className="gap-4">
        <Card className="flex flex-col lg:col-span-2" data-testid="board-trend">
          <Flex><Title>{t('board.revenueByMonth')}</Title><ExportButton filename="revenue-by-month" rows={trend.series} /></Flex>
          {byMonth.error ? <ErrorCallout error={byMonth.error} /> : byMonth.isLoading && !trend.series.length ? (
            <div className="mt-4 flex min-h-72 flex-1 animate-pulse items-center justify-center rounded-tremor-default bg-tremor-background-subtle" aria-busy="true">
              {byMonth.progress && <Text>{t('state.waiting', { stage: byMonth.progress.stage })}</Text>}
            </div>
          ) : (
            <AreaChart className="mt-4 min-h-72 flex-1" data={trend.series} index="month" categories={trend.categories}
              colors={CHANNEL_COLORS} stack valueFormatter={(v) => formatValue(v, 'currency', lang, { compact: true })} noDataText={t('state.empty')} />
          )}
        </Card>
        <div className="space-y-4">
          <BoardBreakdown title={t('board.revenueByChannel')} filename="revenue-by-channel" testId="board-by-channel" format={revenue.format} color="indigo"
            items={items(byChannel.resultSet, channel, (r) => channelLabel(String(r[channel!.name])))} isLoading={byChannel.isLoading} error={byChannel.error} />
          {showTenants && (
            <BoardBreakdown title={t('board.revenueByTenant')} filename="revenue-by-tenant" testId="board-by-tenant" format={revenue.format} color="violet"
              items={items(byTenant.resultSet, tenantDimension, (r) => String(r[tenantName?.name ?? tenantDimension!.name]))} isLoading={byTenant.isLoading} error={byTenant.error} />
          )}
          <BoardBreakdown title={t('board.revenueByRegion')} filename="revenue-by-region" testId="board-by-region" format={revenue.format} color="cyan"
            items={items(byRegion.resultSet, region, (r) => valueLabel(lang, 'region', String(r[region!.name])))} isLoading={byRegion.isLoading} error={byRegion.error} />
        </div>
      </Grid>

      {tableColumns.length > 0 && <BoardMonthlyTable columns={tableColumns} rows={monthlyRows} isLoading={monthly.isLoading} error={monthly.error} />}
    </div>
  );
}
