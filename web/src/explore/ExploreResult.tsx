import { BarChart, Flex, LineChart, Text } from '@tremor/react';
import type { Catalog } from '../data/catalog';
import { suppressedBelow } from '../data/suppression';
import { useCubeQuery } from '../data/useCubeQuery';
import { useCurrency } from '../ui/currency';
import { ExportButton } from '../ui/ExportButton';
import { chartAxis, formatTime, formatValue } from '../ui/format';
import { useT } from '../ui/LangContext';
import { valueLabel } from '../ui/measureLabel';
import { PagedTable } from '../ui/PagedTable';
import { QueryLoad } from '../ui/QueryState';
import { ExploreNote } from './ExploreNote';
import { measuresByUnit, ROW_LIMIT, type ExplorePlan, type ExploreState } from './exploreQuery';
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
  const currency = useCurrency();
  const result = useCubeQuery(plan.query);
  // The rows as the API sent them: tablePivot would turn a figure the server hid (null) into 0 and add 0 rows for missing dates.
  const rows = (result.resultSet?.rawData() ?? []) as Record<string, unknown>[];
  const minGroupSize = suppressedBelow(result.resultSet);
  const { time } = plan;
  const measures = plan.query.measures ?? [];
  const dimensions = plan.query.dimensions ?? [];
  const columns = [...(time ? [{ ...catalog.member(time.dimension)!, name: time.key }] : []), ...[...dimensions, ...measures].map((name) => catalog.member(name)).filter((m) => m !== undefined)];
  const x = time?.key ?? dimensions[0];
  const formatOf = (m: string) => catalog.member(m)?.format ?? 'number';
  // One chart per unit: a count on a ¥ axis reads as a flat line at ¥0.
  const charts = x
    ? measuresByUnit(measures, formatOf).map((group) => {
        const pivot = pivotSeries(rows, {
          x,
          splitBy: time ? dimensions : dimensions.slice(1),
          measures: group,
          maxSeries: MAX_SERIES,
          xLabel: (v) => (time ? formatTime(String(v), time.granularity, lang) : valueLabel(catalog.member(x), v, lang)),
          valueLabel: (d, v) => valueLabel(catalog.member(d), v, lang),
          measureLabel: label,
        });
        const format = formatOf(group[0]);
        const props = {
          className: 'mt-2 h-80',
          data: pivot.data,
          index: PIVOT_X,
          categories: pivot.series,
          colors: COLORS,
          ...chartAxis(
            pivot.data.flatMap((p) => pivot.series.map((c) => Number(p[c]) || 0)),
            format,
            lang,
            currency,
          ),
        };
        return { group, format, pivot, props };
      })
    : [];
  const omitted = charts[0]?.pivot.omittedValues ?? 0;
  const hidden = minGroupSize !== null && rows.some((r) => measures.some((m) => r[m] === null || r[m] === undefined));

  return (
    <QueryLoad state={result} empty={rows.length === 0} emptyReason="empty.exploreRows" skeleton="h-80">
      <Flex justifyContent="end">
        <ExportButton filename="explore" rows={rows} columns={columns} minGroupSize={minGroupSize} />
      </Flex>
      {rows.length >= ROW_LIMIT && <ExploreNote testId="explore-truncated">{t('explore.truncated', { limit: formatValue(ROW_LIMIT, 'number', lang) })}</ExploreNote>}
      {hidden && <ExploreNote testId="explore-hidden">{t('explore.hidden', { n: minGroupSize })}</ExploreNote>}
      {chart !== 'table' && omitted > 0 && (
        <ExploreNote testId="explore-omitted">{t('explore.omittedSeries', { shown: charts[0].pivot.shownValues, omitted, measure: label(measures[0]) })}</ExploreNote>
      )}
      {chart === 'table' && (
        <div className="mt-4">
          <PagedTable rows={rows} columns={columns} testId="explore-table" hiddenMeasure={minGroupSize !== null ? t('state.suppressed', { n: minGroupSize }) : undefined} />
        </div>
      )}
      {chart !== 'table' &&
        charts.map(({ group, format, props }) => (
          <div key={group.join()} className="mt-4" data-testid={`explore-chart-${format}`}>
            {charts.length > 1 && <Text>{new Intl.ListFormat(lang).format(group.map(label))}</Text>}
            {chart === 'bar' ? <BarChart {...props} /> : <LineChart {...props} />}
          </div>
        ))}
    </QueryLoad>
  );
}
