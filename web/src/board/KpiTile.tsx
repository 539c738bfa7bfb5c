import { BadgeDelta, Card, Flex, Metric, ProgressBar, SparkAreaChart, Text } from '@tremor/react';
import { useCurrency } from '../ui/currency';
import { formatChange, formatValue } from '../ui/format';
import { useT } from '../ui/LangContext';
import { memberLabel } from '../ui/measureLabel';
import type { Comparison } from './boardQueries';
import type { KpiFigure } from './boardSeries';

/** The arrow follows the direction; the colour follows whether that direction is good (BadgeDelta's isIncreasePositive). */
export function deltaType(change: number) {
  if (Math.abs(change) < 0.005) return 'unchanged' as const;
  if (Math.abs(change) < 0.05) return change > 0 ? ('moderateIncrease' as const) : ('moderateDecrease' as const);
  return change > 0 ? ('increase' as const) : ('decrease' as const);
}

/**
 * One KPI: its value, the change against the comparison the user leads with (the badge) and the
 * other one (a line below), attainment over the period and over the fiscal year to date.
 */
export function KpiTile({ figure, isLoading, comparison }: { figure: KpiFigure; isLoading: boolean; comparison: Comparison }) {
  const { t, lang } = useT();
  const currency = useCurrency();
  const format = figure.measure?.format ?? 'number';
  const changes = [
    { key: 'yoy' as const, value: figure.yoy, label: t('board.vsLastYear') },
    { key: 'previous' as const, value: figure.change, label: t('board.vsPrevious') },
  ];
  const lead = changes.find((c) => c.key === comparison)!;
  const other = changes.find((c) => c.key !== comparison)!;
  return (
    <Card className="p-4" data-testid={`kpi-${figure.kpi}`} decoration="top" decorationColor="indigo">
      <Flex alignItems="start">
        <Text title={figure.measure?.description}>{figure.measure ? memberLabel(figure.measure, lang) : figure.kpi}</Text>
        {lead.value !== null && (
          <BadgeDelta
            deltaType={deltaType(lead.value)}
            isIncreasePositive={!figure.measure?.lowerIsBetter}
            size="xs"
            title={lead.label}
            data-testid={`kpi-${lead.key}-${figure.kpi}`}
            data-value={lead.value}
          >
            {formatChange(lead.value, lang, format)}
          </BadgeDelta>
        )}
      </Flex>
      {!figure.measure ? (
        <Text className="mt-3 text-tremor-content-subtle">{t('board.notInModel')}</Text>
      ) : isLoading && figure.value === null ? (
        <div className="mt-2 h-9 w-32 animate-pulse rounded bg-tremor-background-subtle" aria-busy="true" data-testid={`kpi-loading-${figure.kpi}`} />
      ) : (
        <Metric className="mt-1" data-testid={`kpi-value-${figure.kpi}`} data-value={figure.value ?? ''}>
          {figure.suppressedBelow ? t('state.suppressed', { n: figure.suppressedBelow }) : formatValue(figure.value, format, lang, currency)}
        </Metric>
      )}
      {figure.basis && figure.basis.value !== null && (
        <p className="mt-1 text-tremor-label text-tremor-content" data-testid={`kpi-basis-${figure.kpi}`}>
          {t('board.basis', { label: memberLabel(figure.basis.measure, lang), value: formatValue(figure.basis.value, figure.basis.measure.format, lang) })}
        </p>
      )}
      {other.value !== null && (
        <p className="mt-1 text-tremor-label text-tremor-content" data-testid={`kpi-${other.key}-${figure.kpi}`} data-value={other.value}>
          {other.label} {formatChange(other.value, lang, format)}
        </p>
      )}
      {/* At or above 1 is on target for every KPI: the model writes a lower-is-better KPI's attainment as target / actual. */}
      {[
        { key: 'period', label: t('board.target'), value: figure.attainment },
        { key: 'ytd', label: t('board.targetYearToDate'), value: figure.attainmentYearToDate },
      ].map(
        (a) =>
          a.value !== null && (
            <div className="mt-3" key={a.key} data-testid={`kpi-attainment-${a.key}-${figure.kpi}`} data-value={a.value}>
              <Flex>
                <Text className="text-tremor-label">{a.label}</Text>
                <Text className="text-tremor-label">{formatValue(a.value, 'percent', lang)}</Text>
              </Flex>
              <ProgressBar value={Math.min(100, a.value * 100)} color={a.value >= 1 ? 'emerald' : 'amber'} className="mt-1" />
            </div>
          ),
      )}
      {figure.trend.length > 1 && <SparkAreaChart data={figure.trend} index="month" categories={['value']} colors={['indigo']} className="mt-3 h-8 w-full" />}
    </Card>
  );
}
