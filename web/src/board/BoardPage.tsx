import { AreaChart, Callout, Card, Flex, Grid, Select, SelectItem, Tab, TabGroup, TabList, Text, Title } from '@tremor/react';
import type { Catalog, CatalogMember } from '../data/catalog';
import { useCubeQuery } from '../data/useCubeQuery';
import { ErrorCallout } from '../ui/ErrorCallout';
import { ExportButton } from '../ui/ExportButton';
import { seriesColumns } from '../ui/exportColumns';
import { CurrencyScope, useCurrency } from '../ui/currency';
import { chartAxis, formatDate, formatMonthDay, formatPeriod } from '../ui/format';
import { useT } from '../ui/LangContext';
import { memberLabel, valueLabel } from '../ui/measureLabel';
import { BoardBreakdown } from './BoardBreakdown';
import { boardMembers, LAST_DAY_ROLE, type BoardMembers } from './boardMembers';
import { BoardMonthlyTable } from './BoardMonthlyTable';
import { breakdownQuery, fiscalYearOf, monthlyQuery, monthlyYearOverYearQuery, trailingYear, type Comparison, type Period, type Scope } from './boardQueries';
import { bars, missingFigure, monthlyTable, monthsOf, splitByMonth } from './boardSeries';
import { fiscalPeriodLabel } from './fiscalLabel';
import { KgiTree } from './KgiTree';
import { KpiTile } from './KpiTile';
import { LandingCard } from './LandingCard';
import { PartialMonthNote, usePartialMonthLabel, type PartialMonth } from './PartialMonth';
import { useBoardView } from './useBoard';
import { useBoardCurrency } from './useBoardCurrency';
import { COMPARISONS, PERIOD_KINDS, useBoardPeriod } from './useBoardPeriod';
import { YearOverYearTrend } from './YearOverYearTrend';

/** Channels in a fixed order, so each keeps its colour whatever the data holds. */
const CHANNELS = ['store', 'ec', 'app'];
const CHANNEL_COLORS = ['indigo', 'cyan', 'amber', 'emerald', 'violet'];

interface BoardPageProps {
  catalog: Catalog;
  params: URLSearchParams;
  setParams: (set: Record<string, string | null>) => void;
}

export function BoardPage(props: BoardPageProps) {
  const { t } = useT();
  const members = boardMembers(props.catalog);
  if (!members)
    return (
      <Text>
        {t('board.notInModel')}: revenue, {LAST_DAY_ROLE}
      </Text>
    );
  return <Board {...props} members={members} />;
}

/**
 * The header (period, tenant) and the figures. Each figure component is mounted per period and
 * tenant (its `key`): a new period starts from skeletons instead of showing the last period's
 * figures under the new label while its queries run.
 */
function Board({ catalog, params, setParams, members }: BoardPageProps & { members: BoardMembers }) {
  const { t, lang } = useT();
  const view = useBoardPeriod(members, params);
  const money = useBoardCurrency(members, view);
  const { tenant: tenantDimension, tenantName } = members;
  const { multiTenant, tenant, scope, kind, comparison, tenantRows, fiscalStartMonth, lastDay, span, period, through, partial, problem, trendSpan, periodKey, monthsKey } = view;
  const fiscalLabel = period && fiscalStartMonth ? fiscalPeriodLabel(period, fiscalStartMonth, t) : null;

  return (
    <div className="space-y-6">
      <Flex justifyContent="between" alignItems="end" className="flex-wrap gap-4">
        <div>
          <Title>{t('board.title')}</Title>
          {period && (
            <p className="text-tremor-default text-tremor-content" data-testid="board-period">
              {fiscalLabel && (
                <span className="mr-2 font-semibold text-tremor-content-emphasis" data-testid="board-fiscal-label">
                  {fiscalLabel}
                </span>
              )}
              {span && formatPeriod(span.start, span.end, lang)}
              {through && (
                <span className="ml-2 font-semibold text-amber-700" data-testid="board-through">
                  {t('board.through', { date: formatMonthDay(through, lang) })}
                </span>
              )}
            </p>
          )}
        </div>
        <Flex justifyContent="end" className="w-auto flex-wrap gap-3 md:flex-nowrap">
          {multiTenant && tenantDimension && (
            <Select className="w-56 shrink-0" value={tenant ?? ''} onValueChange={(v) => setParams({ tenant: v || null })} placeholder={t('board.allTenants')} data-testid="tenant-picker">
              {[
                <SelectItem key="" value="">
                  {t('board.allTenants')}
                </SelectItem>,
                ...tenantRows.map((r) => (
                  <SelectItem key={r[tenantDimension.name]} value={r[tenantDimension.name]}>
                    {r[tenantName?.name ?? tenantDimension.name]}
                  </SelectItem>
                )),
              ]}
            </Select>
          )}
          <TabGroup className="w-auto shrink-0" index={COMPARISONS.indexOf(comparison)} onIndexChange={(i) => setParams({ compare: COMPARISONS[i] })}>
            <TabList variant="line" aria-label={t('board.compareWith')}>
              {COMPARISONS.map((c) => (
                <Tab key={c} data-testid={`compare-${c}`}>
                  {t(c === 'yoy' ? 'board.compareYoy' : 'board.comparePrevious')}
                </Tab>
              ))}
            </TabList>
          </TabGroup>
          <TabGroup className="w-auto shrink-0" index={PERIOD_KINDS.indexOf(kind)} onIndexChange={(i) => setParams({ period: PERIOD_KINDS[i] })}>
            <TabList variant="solid">
              {PERIOD_KINDS.map((k) => (
                <Tab key={k} data-testid={`period-${k}`}>
                  {t(`period.${k}`)}
                </Tab>
              ))}
            </TabList>
          </TabGroup>
          {kind === 'custom' && span && (
            <Flex className="w-auto gap-2">
              <input
                type="date"
                aria-label={t('board.from')}
                className="rounded-tremor-default border-tremor-border text-tremor-default"
                value={span.start}
                onChange={(e) => setParams({ from: e.target.value })}
              />
              <input
                type="date"
                aria-label={t('board.to')}
                className="rounded-tremor-default border-tremor-border text-tremor-default"
                value={span.end}
                onChange={(e) => setParams({ to: e.target.value })}
              />
            </Flex>
          )}
        </Flex>
      </Flex>

      {view.lastDayError && <ErrorCallout error={view.lastDayError} />}
      {money.error && <ErrorCallout error={money.error} />}
      {view.fiscalUnknown && view.tenants.resultSet && <Callout color="amber" title={t('fiscal.needTenant')} data-testid="fiscal-need-tenant" />}
      {problem && lastDay && <Callout color="amber" title={t(problem === 'fromAfterTo' ? 'board.fromAfterTo' : 'board.afterData', { last: formatDate(lastDay, lang) })} data-testid="period-problem" />}
      {period && !problem && money.known && (
        <CurrencyScope currencies={money.currencies}>
          <Grid numItemsSm={2} numItemsLg={4} className="gap-4" data-testid="kpi-tiles">
            {members.tiles.map(({ view, members: kpis }) => (
              <ViewTiles key={`${view}|${periodKey}`} catalog={catalog} view={view} members={kpis} period={period} tenant={tenant} fiscalStartMonth={fiscalStartMonth} comparison={comparison} />
            ))}
            {members.missing.map((k) => (
              <KpiTile key={k} figure={missingFigure(k)} isLoading={false} comparison={comparison} />
            ))}
          </Grid>
          {members.tree && <KgiTree key={periodKey} catalog={catalog} members={members.tree} period={period} tenant={tenant} />}
          {members.landing && fiscalStartMonth && <LandingCard key={periodKey} catalog={catalog} landing={members.landing} fiscalYear={fiscalYearOf(period.end, fiscalStartMonth)} tenant={tenant} />}
          {trendSpan && (
            <YearOverYearTrend key={`${trendSpan.start}|${trendSpan.end}|${tenant ?? ''}`} catalog={catalog} members={members} span={trendSpan} scope={scope} tenant={tenant} partial={partial} />
          )}
          <Grid numItemsLg={3} className="gap-4">
            <TrendCard key={monthsKey} members={members} end={period.end} scope={scope} partial={partial} />
            <Breakdowns key={periodKey} members={members} period={period} scope={scope} showTenants={multiTenant && !tenant} />
          </Grid>
          {members.table.length > 0 && <MonthlyFigures key={monthsKey} members={members} end={period.end} scope={scope} partialMonth={partial?.month ?? null} />}
        </CurrencyScope>
      )}
    </div>
  );
}

/** Tiles of the KPIs that live in one view (one hook call per view keeps the queries batched). */
function ViewTiles({
  catalog,
  view,
  members,
  period,
  tenant,
  fiscalStartMonth,
  comparison,
}: {
  catalog: Catalog;
  view: string;
  members: CatalogMember[];
  period: Period;
  tenant: string | null;
  fiscalStartMonth: number | null;
  comparison: Comparison;
}) {
  const { figures, isLoading, error } = useBoardView(catalog, view, members, period, tenant, fiscalStartMonth);
  return (
    <>
      {figures.map((f) => (
        <KpiTile key={f.kpi} figure={f} isLoading={isLoading} comparison={comparison} />
      ))}
      {error && <ErrorCallout error={error} />}
    </>
  );
}

/** Revenue by month and channel over the 12 months ending with the period; a partial last month is marked. */
function TrendCard({ members, end, scope, partial }: { members: BoardMembers; end: string; scope: Scope; partial: PartialMonth | null }) {
  const { t, lang } = useT();
  const currency = useCurrency();
  const monthLabel = usePartialMonthLabel(partial);
  const { revenue, channel, timeDimension } = members;
  const byMonth = useCubeQuery(channel ? monthlyQuery([revenue.name], timeDimension, end, 12, scope, [channel.name]) : null);
  const trend =
    byMonth.resultSet && channel
      ? splitByMonth(byMonth.resultSet.tablePivot(), `${timeDimension}.month`, channel.name, revenue.name, (v) => valueLabel(channel, v, lang), monthLabel, CHANNELS)
      : { series: [], categories: [] };
  return (
    <Card className="flex flex-col lg:col-span-2" data-testid="board-trend">
      <Flex>
        <Title>{t('board.revenueByMonth')}</Title>
        <ExportButton filename="revenue-by-month" rows={trend.series} columns={seriesColumns({ name: 'month', header: t('board.month') }, trend.categories, revenue.format)} />
      </Flex>
      {byMonth.error ? (
        <ErrorCallout error={byMonth.error} />
      ) : byMonth.isLoading && !trend.series.length ? (
        <div className="mt-4 flex min-h-72 flex-1 animate-pulse items-center justify-center rounded-tremor-default bg-tremor-background-subtle" aria-busy="true">
          {byMonth.progress && <Text>{t('state.waiting', { stage: byMonth.progress.stage })}</Text>}
        </div>
      ) : (
        <AreaChart
          className="mt-4 min-h-72 flex-1"
          data={trend.series}
          index="month"
          categories={trend.categories}
          colors={CHANNEL_COLORS}
          stack
          // The last month's label is always drawn: it may carry the partial mark.
          intervalType="preserveStartEnd"
          {...chartAxis(
            trend.series.map((p) => trend.categories.reduce((sum, c) => sum + (Number(p[c]) || 0), 0)),
            revenue.format,
            lang,
            currency,
          )}
          noDataText={t('state.empty')}
        />
      )}
      <PartialMonthNote partial={partial} months={monthsOf(trailingYear(end))} />
    </Card>
  );
}

/** Revenue of the period by channel, by tenant (users of several tenants who picked none) and by region. */
function Breakdowns({ members, period, scope, showTenants }: { members: BoardMembers; period: Period; scope: Scope; showTenants: boolean }) {
  const { t } = useT();
  const { channel, region, tenant, tenantName } = members;
  const shared = { members, period, scope };
  return (
    <div className="space-y-4">
      {channel && <RevenueBreakdown {...shared} dimension={channel} title={t('board.revenueByChannel')} filename="revenue-by-channel" testId="board-by-channel" color="indigo" />}
      {showTenants && tenant && (
        <RevenueBreakdown {...shared} dimension={tenant} nameColumn={tenantName} title={t('board.revenueByTenant')} filename="revenue-by-tenant" testId="board-by-tenant" color="violet" />
      )}
      {region && <RevenueBreakdown {...shared} dimension={region} title={t('board.revenueByRegion')} filename="revenue-by-region" testId="board-by-region" color="cyan" />}
    </div>
  );
}

/** One breakdown card: its own query; bars named by the model's value labels, or by `nameColumn` (a tenant's name). */
function RevenueBreakdown({
  members,
  period,
  scope,
  dimension,
  nameColumn,
  title,
  filename,
  testId,
  color,
}: {
  members: BoardMembers;
  period: Period;
  scope: Scope;
  dimension: CatalogMember;
  nameColumn?: CatalogMember;
  title: string;
  filename: string;
  testId: string;
  color: string;
}) {
  const { lang } = useT();
  const { revenue, timeDimension } = members;
  const result = useCubeQuery(breakdownQuery(revenue.name, dimension.name, timeDimension, period, scope, nameColumn ? [nameColumn.name] : []));
  const label = (row: Record<string, unknown>) => (nameColumn ? String(row[nameColumn.name]) : valueLabel(dimension, row[dimension.name], lang));
  return (
    <BoardBreakdown
      title={title}
      filename={filename}
      testId={testId}
      format={revenue.format}
      exportColumns={[
        { name: 'name', header: memberLabel(nameColumn ?? dimension, lang), text: String },
        { name: 'value', header: memberLabel(revenue, lang), format: revenue.format },
      ]}
      color={color}
      items={result.resultSet ? bars(result.resultSet.tablePivot(), dimension.name, revenue.name, label) : []}
      isLoading={result.isLoading}
      error={result.error}
    />
  );
}

/**
 * The monthly table of the 12 months ending with the period, each month beside the same days last
 * year (one compareDateRange request, cut at the last day with data: a partial month compares with
 * the same days of its month a year earlier).
 */
function MonthlyFigures({ members, end, scope, partialMonth }: { members: BoardMembers; end: string; scope: Scope; partialMonth: string | null }) {
  const { table, timeDimension } = members;
  const measures = table.map((m) => m.name);
  const monthly = useCubeQuery(monthlyYearOverYearQuery(measures, timeDimension, trailingYear(end), scope));
  const [thisYear, lastYear] = monthly.resultSet?.decompose() ?? [];
  const formats = Object.fromEntries(table.map((m) => [m.name, m.format]));
  const rows = monthlyTable(thisYear?.rawData() ?? [], `${timeDimension}.month`, measures, lastYear?.rawData() ?? [], formats);
  return <BoardMonthlyTable columns={table} rows={rows} partialMonth={partialMonth} isLoading={monthly.isLoading} error={monthly.error} />;
}
