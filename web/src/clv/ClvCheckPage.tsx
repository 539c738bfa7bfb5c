import { BarChart, Card, Flex, LineChart, Select, SelectItem, Text, Title } from '@tremor/react';
import type { Catalog } from '../data/catalog';
import { ExportButton } from '../ui/ExportButton';
import { seriesColumns } from '../ui/exportColumns';
import { formatDate, formatValue, toNumber } from '../ui/format';
import { useT } from '../ui/LangContext';
import { memberLabel } from '../ui/measureLabel';
import { QueryLoad } from '../ui/QueryState';
import { ClvGroupsTable } from './ClvGroupsTable';
import { day, useClvCheck } from './useClvCheck';
import { WithheldPredictions } from './WithheldPredictions';

/**
 * How well the predicted-CLV model tracks reality, for analysts: BG/NBD fitted on a calibration
 * period against what the tenant's members did in the holdout after it (FHL 2005, Figures 3 and
 * 4). The figures are the model's (npm run clv writes them; views clv_tracking and
 * clv_holdout_groups); this page picks the tenant and draws them.
 */
export function ClvCheckPage({ catalog, params, setParams }: { catalog: Catalog; params: URLSearchParams; setParams: (set: Record<string, string | null>) => void }) {
  const { t, lang } = useT();
  const { tenants, ids, tenant, summary, check, tracking, groups, series, holdoutStart, trackingData, groupData, minGroupSize } = useClvCheck(params.get('tenant'));
  const { actual, model } = series;
  const label = (name: string) => {
    const member = catalog.member(name);
    return member ? memberLabel(member, lang) : name;
  };
  const number = (v: unknown) => formatValue(toNumber(v), 'number', lang);

  return (
    <div className="space-y-6">
      <Flex justifyContent="between" className="flex-wrap gap-4">
        <Title>{t('clv.title')}</Title>
        {ids.length > 1 && (
          <Select className="w-48" value={tenant ?? ''} onValueChange={(v) => setParams({ tenant: v })} data-testid="clv-tenant">
            {ids.map((id) => (
              <SelectItem key={id} value={id}>
                {id}
              </SelectItem>
            ))}
          </Select>
        )}
      </Flex>
      <Text>{t('clv.note')}</Text>
      <WithheldPredictions catalog={catalog} />
      <QueryLoad state={tenants} empty={ids.length === 0} emptyReason="clv.none" skeleton="h-96">
        <Card data-testid="clv-summary">
          <QueryLoad state={summary} empty={!check} emptyReason="clv.none" skeleton="h-12">
            {check && (
              <>
                <Text>
                  {t('clv.period', {
                    calibration: formatDate(day(check['clv_holdout_groups.calibration_end']), lang),
                    holdout: formatDate(day(check['clv_holdout_groups.holdout_end']), lang),
                    members: number(check['clv_holdout_groups.members']),
                  })}
                </Text>
                <p
                  className="mt-2 text-tremor-metric font-semibold text-tremor-content-strong"
                  data-testid="clv-holdout-total"
                  data-actual={check['clv_holdout_groups.actual_holdout_purchases'] ?? ''}
                  data-expected={check['clv_holdout_groups.expected_holdout_purchases'] ?? ''}
                >
                  {t('clv.holdoutTotal', { actual: number(check['clv_holdout_groups.actual_holdout_purchases']), expected: number(check['clv_holdout_groups.expected_holdout_purchases']) })}
                </p>
              </>
            )}
          </QueryLoad>
        </Card>
        <Card>
          <Flex className="gap-4">
            <Title>{t('clv.tracking')}</Title>
            <ExportButton filename={`clv-tracking-${tenant}`} rows={trackingData} columns={seriesColumns({ name: 'week', header: label('clv_tracking.week_start') }, [actual, model], 'number')} />
          </Flex>
          {holdoutStart && <Text className="mt-1">{t('clv.trackingNote', { date: formatDate(day(holdoutStart), lang) })}</Text>}
          <QueryLoad state={tracking} empty={trackingData.length === 0} emptyReason="clv.none" skeleton="h-72">
            <LineChart
              className="mt-4 h-72"
              data={trackingData}
              index="week"
              categories={[actual, model]}
              colors={['slate', 'indigo']}
              valueFormatter={(v) => formatValue(v, 'number', lang)}
              yAxisWidth={72}
              showAnimation={false}
              data-testid="clv-tracking-chart"
            />
          </QueryLoad>
        </Card>
        <Card>
          <Flex className="gap-4">
            <Title>{t('clv.groups')}</Title>
            <ExportButton
              filename={`clv-holdout-groups-${tenant}`}
              rows={groupData}
              columns={seriesColumns({ name: 'x', header: label('clv_holdout_groups.calibration_purchases') }, [actual, model], 'number')}
              minGroupSize={minGroupSize}
            />
          </Flex>
          <Text className="mt-1">{t('clv.groupsNote')}</Text>
          <QueryLoad state={groups} empty={groupData.length === 0} emptyReason="clv.none" skeleton="h-72">
            <BarChart
              className="mt-4 h-72"
              data={groupData}
              index="x"
              categories={[actual, model]}
              colors={['slate', 'indigo']}
              valueFormatter={(v) => formatValue(v, 'number', lang)}
              xAxisLabel={label('clv_holdout_groups.calibration_purchases')}
              showAnimation={false}
              data-testid="clv-groups-chart"
            />
            <ClvGroupsTable groupData={groupData} series={series} minGroupSize={minGroupSize} heading={label('clv_holdout_groups.calibration_purchases')} />
          </QueryLoad>
        </Card>
      </QueryLoad>
    </div>
  );
}
