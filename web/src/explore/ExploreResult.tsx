import { BarChart, Flex, LineChart } from '@tremor/react';
import type { Catalog } from '../data/catalog';
import { useCubeQuery } from '../data/useCubeQuery';
import { ExportButton } from '../ui/ExportButton';
import { chartAxis, formatTime, formatValue } from '../ui/format';
import { useT } from '../ui/LangContext';
import { valueLabel } from '../ui/measureLabel';
import { PagedTable } from '../ui/PagedTable';
import { QueryLoad } from '../ui/QueryState';
import { ExploreNote } from './ExploreNote';
import { ROW_LIMIT, type ExplorePlan, type ExploreState } from './exploreQuery';
import { PIVOT_X, pivotSeries } from './explorePivot';

/** Lines or bars per x value drawn at most; values left out are counted, never lumped into an "other" total. */
const MAX_SERIES = 10;
const COLORS = ['indigo', 'cyan', 'amber', 'emerald', 'rose', 'violet', 'lime', 'orange', 'sky', 'fuchsia'];

/**
 * The answer to one plan. The page mounts a new one per query (keyed by it), so while a new
 * query runs there is only a skeleton: old rows never show under the new columns.
 */
export function ExploreResult({ catalog, plan, chart, label }: { catalog: Catalog; plan: ExplorePlan; chart: ExploreState['chart']; label: (member: string) => string }) {
  const { t, lang } = useT();
  const result = useCubeQuery(plan.query);
  const rows = (result.resultSet?.tablePivot() ?? []) as Record<string, unknown>[];
  const { time } = plan;
  const measures = plan.query.measures ?? [];
  const dimensions = plan.query.dimensions ?? [];
  const columns = [...(time ? [{ ...catalog.member(time.dimension)!, name: time.key }] : []), ...[...dimensions, ...measures].map((name) => catalog.member(name)).filter((m) => m !== undefined)];
  const x = time?.key ?? dimensions[0];
  const pivot = x
    ? pivotSeries(rows, {
        x,
        splitBy: time ? dimensions : dimensions.slice(1),
        measures,
        maxSeries: MAX_SERIES,
        xLabel: (v) => (time ? formatTime(String(v), time.granularity, lang) : valueLabel(catalog.member(x), v, lang)),
        valueLabel: (d, v) => valueLabel(catalog.member(d), v, lang),
        measureLabel: label,
      })
    : null;
  const format = catalog.member(measures[0] ?? '')?.format ?? 'number';
  const chartProps = pivot && {
    className: 'mt-4 h-80',
    data: pivot.data,
    index: PIVOT_X,
    categories: pivot.series,
    colors: COLORS,
    ...chartAxis(
      pivot.data.flatMap((p) => pivot.series.map((c) => Number(p[c]) || 0)),
      format,
      lang,
    ),
  };

  return (
    <QueryLoad state={result} empty={rows.length === 0} emptyReason="empty.exploreRows" skeleton="h-80">
      <Flex justifyContent="end">
        <ExportButton filename="explore" rows={rows} />
      </Flex>
      {rows.length >= ROW_LIMIT && <ExploreNote testId="explore-truncated">{t('explore.truncated', { limit: formatValue(ROW_LIMIT, 'number', lang) })}</ExploreNote>}
      {chart !== 'table' && pivot && pivot.omittedValues > 0 && (
        <ExploreNote testId="explore-omitted">{t('explore.omittedSeries', { shown: pivot.shownValues, omitted: pivot.omittedValues, measure: label(measures[0]) })}</ExploreNote>
      )}
      {chart === 'table' && (
        <div className="mt-4">
          <PagedTable rows={rows} columns={columns} total={null} page={0} pageSize={rows.length} onPage={() => {}} testId="explore-table" />
        </div>
      )}
      {chart === 'bar' && chartProps && <BarChart {...chartProps} />}
      {chart === 'line' && chartProps && <LineChart {...chartProps} />}
    </QueryLoad>
  );
}
