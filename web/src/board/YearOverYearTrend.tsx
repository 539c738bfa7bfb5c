import { Card, Flex, LineChart, Text, Title } from '@tremor/react';
import type { Catalog } from '../data/catalog';
import { useCubeQuery } from '../data/useCubeQuery';
import { ErrorCallout } from '../ui/ErrorCallout';
import { ExportButton } from '../ui/ExportButton';
import { seriesColumns } from '../ui/exportColumns';
import { useCurrency } from '../ui/currency';
import { chartAxis } from '../ui/format';
import { useT } from '../ui/LangContext';
import type { BoardMembers } from './boardMembers';
import { monthlyQuery, monthlyYearOverYearQuery, scopeIn, type Period, type Scope } from './boardQueries';
import { monthsOf, trendLines } from './boardSeries';
import { PartialMonthNote, usePartialMonthLabel, type PartialMonth } from './PartialMonth';

/**
 * Revenue by month over `span` (the fiscal year when a fiscal period is shown, else the twelve
 * months to the period's end) with last year's line and the target line. This year and last
 * year come in one compareDateRange request; the targets from the targets view.
 */
export function YearOverYearTrend({
  catalog,
  members,
  span,
  scope,
  tenant,
  partial,
}: {
  catalog: Catalog;
  members: BoardMembers;
  span: Period;
  scope: Scope;
  tenant: string | null;
  /** The month the data end inside of: its label is marked and a note says to which day. */
  partial: PartialMonth | null;
}) {
  const { t, lang } = useT();
  const monthLabel = usePartialMonthLabel(partial);
  const currency = useCurrency();
  const { revenue, timeDimension, revenueTarget } = members;
  const actuals = useCubeQuery(monthlyYearOverYearQuery([revenue.name], timeDimension, span, scope));
  const targetsTime = revenueTarget && catalog.view(revenueTarget.view)?.timeDimension;
  const targets = useCubeQuery(revenueTarget && targetsTime ? monthlyQuery([revenueTarget.name], targetsTime, span.end, monthsOf(span).length, scopeIn(catalog, revenueTarget.view, tenant)) : null);
  const [thisYear, lastYear] = actuals.resultSet?.decompose() ?? [];
  const rows = (r: typeof thisYear | undefined) => (r?.rawData() ?? []) as Record<string, unknown>[];
  const names = { actual: t('board.thisYear'), lastYear: t('board.lastYear'), target: t('board.targetLine') };
  const points = trendLines(
    monthsOf(span),
    [
      { name: names.actual, rows: rows(thisYear), monthKey: `${timeDimension}.month`, measure: revenue.name },
      { name: names.lastYear, rows: rows(lastYear), monthKey: `${timeDimension}.month`, measure: revenue.name, lastYear: true },
      ...(revenueTarget && targetsTime ? [{ name: names.target, rows: rows(targets.resultSet ?? undefined), monthKey: `${targetsTime}.month`, measure: revenueTarget.name }] : []),
    ],
    monthLabel,
  );
  const hasTarget = points.some((p) => p[names.target] !== null && p[names.target] !== undefined);
  const categories = [names.actual, names.lastYear, ...(hasTarget ? [names.target] : [])];
  const error = actuals.error ?? targets.error;
  return (
    <Card data-testid="board-yoy-trend">
      <Flex>
        <Title>{t('board.revenueVsLastYear')}</Title>
        <ExportButton filename="revenue-vs-last-year" rows={points} columns={seriesColumns({ name: 'month', header: t('board.month') }, categories, revenue.format)} />
      </Flex>
      {error ? (
        <ErrorCallout error={error} />
      ) : actuals.isLoading && !thisYear ? (
        <div className="mt-4 h-72 animate-pulse rounded-tremor-default bg-tremor-background-subtle" aria-busy="true" />
      ) : (
        <>
          <LineChart
            className="mt-4 h-72"
            data={points}
            index="month"
            categories={categories}
            colors={['indigo', 'gray', 'amber']}
            // The last month's label is always drawn: it may carry the partial mark.
            intervalType="preserveStartEnd"
            {...chartAxis(
              points.flatMap((p) => categories.map((c) => Number(p[c]) || 0)),
              revenue.format,
              lang,
              currency,
            )}
            noDataText={t('state.empty')}
            data-testid="board-yoy-chart"
          />
          <PartialMonthNote partial={partial} months={monthsOf(span)} />
          {!hasTarget && revenueTarget && !targets.isLoading && <Text className="mt-2">{t('board.noTargets')}</Text>}
        </>
      )}
    </Card>
  );
}
