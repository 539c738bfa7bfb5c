import { BadgeDelta, Card, Flex, Metric, ProgressBar, SparkAreaChart, Text } from '@tremor/react';
import { formatValue } from '../ui/format';
import { useT } from '../ui/LangContext';
import { memberLabel } from '../ui/measureLabel';
import type { KpiFigure } from './boardSeries';

/** Churn and dormancy are better when they fall. */
const LOWER_IS_BETTER = new Set(['churn_rate', 'dormant_customers']);

/** The arrow follows the direction; the colour follows whether that direction is good (BadgeDelta's isIncreasePositive). */
export function deltaType(change: number) {
  if (Math.abs(change) < 0.005) return 'unchanged' as const;
  if (Math.abs(change) < 0.05) return change > 0 ? ('moderateIncrease' as const) : ('moderateDecrease' as const);
  return change > 0 ? ('increase' as const) : ('decrease' as const);
}

/** Attainment is actual / target: at or above 1 is on target, except where lower is better. */
export function onTarget(attainment: number, kpi: string): boolean {
  return LOWER_IS_BETTER.has(kpi) ? attainment <= 1 : attainment >= 1;
}

export function KpiTile({ figure, isLoading }: { figure: KpiFigure; isLoading: boolean }) {
  const { t, lang } = useT();
  const format = figure.measure?.format ?? 'number';
  return (
    <Card className="p-4" data-testid={`kpi-${figure.kpi}`} decoration="top" decorationColor="indigo">
      <Flex alignItems="start">
        <Text title={figure.measure?.description}>{figure.measure ? memberLabel(figure.measure, lang) : figure.kpi}</Text>
        {figure.change !== null && (
          <BadgeDelta deltaType={deltaType(figure.change)} isIncreasePositive={!LOWER_IS_BETTER.has(figure.kpi)} size="xs" title={t('board.vsPrevious')}>
            {formatValue(figure.change, 'percent', lang)}
          </BadgeDelta>
        )}
      </Flex>
      {!figure.measure ? (
        <Text className="mt-3 text-tremor-content-subtle">{t('board.notInModel')}</Text>
      ) : isLoading && figure.value === null ? (
        <div className="mt-2 h-9 w-32 animate-pulse rounded bg-tremor-background-subtle" aria-busy="true" data-testid={`kpi-loading-${figure.kpi}`} />
      ) : (
        <Metric className="mt-1" data-testid={`kpi-value-${figure.kpi}`} data-value={figure.value ?? ''}>
          {figure.suppressedBelow ? t('state.suppressed', { n: figure.suppressedBelow }) : formatValue(figure.value, format, lang)}
        </Metric>
      )}
      {figure.attainment !== null && (
        <div className="mt-3">
          <Flex>
            <Text className="text-tremor-label">{t('board.target')}</Text>
            <Text className="text-tremor-label">{formatValue(figure.attainment, 'percent', lang)}</Text>
          </Flex>
          <ProgressBar value={Math.min(100, figure.attainment * 100)} color={onTarget(figure.attainment, figure.kpi) ? 'emerald' : 'amber'} className="mt-1" />
        </div>
      )}
      {figure.trend.length > 1 && <SparkAreaChart data={figure.trend} index="month" categories={['value']} colors={['indigo']} className="mt-3 h-8 w-full" />}
    </Card>
  );
}
