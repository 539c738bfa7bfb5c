import { AreaChart, Callout, Card, Flex, Grid, Text, Title } from '@tremor/react';
import type { Catalog, CatalogMember } from '../data/catalog';
import { useCubeQuery } from '../data/useCubeQuery';
import { ErrorCallout } from '../ui/ErrorCallout';
import { ExportButton } from '../ui/ExportButton';
import { seriesColumns } from '../ui/exportColumns';
import { CurrencyScope, useCurrency } from '../ui/currency';
import { chartAxis, formatDate } from '../ui/format';
import { useT } from '../ui/LangContext';
import { memberLabel, valueLabel } from '../ui/measureLabel';
import { BoardBreakdown } from './BoardBreakdown';
import { BoardHeader } from './BoardHeader';
import { boardMembers, LAST_DAY_ROLE, type BoardMembers } from './boardMembers';
import { BoardMonthlyTable } from './BoardMonthlyTable';
import { breakdownQuery, fiscalYearOf, monthlyQuery, monthlyYearOverYearQuery, trailingYear, type Comparison, type Period, type Scope } from './boardQueries';
import { bars, missingFigure, monthlyTable, monthsOf, splitByMonth } from './boardSeries';
import { KgiTree } from './KgiTree';
import { KpiTile } from './KpiTile';
import { LandingCard } from './LandingCard';
import { PartialMonthNote, usePartialMonthLabel, type PartialMonth } from './PartialMonth';
import { useBoardView } from './useBoard';
import { useBoardCurrency } from './useBoardCurrency';
import { useBoardPeriod } from './useBoardPeriod';
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
  const { multiTenant, tenant, scope, comparison, fiscalStartMonth, lastDay, period, partial, problem, trendSpan, periodKey, monthsKey } = view;

  return (
    <div className="space-y-6">
      <BoardHeader members={members} view={view} setParams={setParams} />

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
