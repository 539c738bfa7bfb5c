import { BarChart, Card, Flex, LineChart, Select, SelectItem, Text, Title } from '@tremor/react';
import type { Catalog } from '../data/catalog';
import { suppressedBelow } from '../data/suppression';
import { useCubeQuery } from '../data/useCubeQuery';
import { ExportButton } from '../ui/ExportButton';
import { formatDate, formatValue, toNumber } from '../ui/format';
import { useT } from '../ui/LangContext';
import { memberLabel } from '../ui/measureLabel';
import { QueryLoad } from '../ui/QueryState';
import { checkedTenantsQuery, checkSummaryQuery, groupLabel, groupsQuery, trackingQuery } from './clvCheckQueries';

type Row = Record<string, string | number | boolean | null>;
const rowsOf = (state: { resultSet: { tablePivot(): unknown[] } | null }) => (state.resultSet?.tablePivot() ?? []) as Row[];
const day = (v: unknown) => String(v).slice(0, 10);

/**
 * How well the predicted-CLV model tracks reality, for analysts: BG/NBD fitted on a calibration
 * period against what the tenant's members did in the holdout after it (FHL 2005, Figures 3 and
 * 4). The figures are the model's (npm run clv writes them; views clv_tracking and
 * clv_holdout_groups); this page picks the tenant and draws them.
 */
export function ClvCheckPage({ catalog, params, setParams }: { catalog: Catalog; params: URLSearchParams; setParams: (set: Record<string, string | null>) => void }) {
  const { t, lang } = useT();
  const tenants = useCubeQuery(checkedTenantsQuery());
  const ids = rowsOf(tenants).map((r) => String(r['clv_tracking.tenant_id']));
  const tenant = ids.find((id) => id === params.get('tenant')) ?? ids[0] ?? null;
  const summary = useCubeQuery(tenant ? checkSummaryQuery(tenant) : null);
  const tracking = useCubeQuery(tenant ? trackingQuery(tenant) : null);
  const groups = useCubeQuery(tenant ? groupsQuery(tenant) : null);
  const check = rowsOf(summary)[0];
  const weeks = rowsOf(tracking);
  const holdoutStart = weeks.find((w) => w['clv_tracking.in_holdout'] === true || w['clv_tracking.in_holdout'] === 'true')?.['clv_tracking.week_start'];
  const actual = t('clv.actual');
  const model = t('clv.model');
  const label = (name: string) => {
    const member = catalog.member(name);
    return member ? memberLabel(member, lang) : name;
  };
  const minGroupSize = suppressedBelow(groups.resultSet);
  const number = (v: unknown) => formatValue(toNumber(v), 'number', lang);

  const trackingData = weeks.map((w) => ({
    week: formatDate(day(w['clv_tracking.week_start']), lang),
    [actual]: toNumber(w['clv_tracking.cumulative_actual_repeat_purchases']),
    [model]: toNumber(w['clv_tracking.cumulative_expected_repeat_purchases']),
  }));
  const groupData = rowsOf(groups).map((g) => ({
    x: groupLabel(Number(g['clv_holdout_groups.calibration_purchases'])),
    [actual]: toNumber(g['clv_holdout_groups.actual_per_customer']),
    [model]: toNumber(g['clv_holdout_groups.expected_per_customer']),
  }));

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
            <ExportButton filename={`clv-tracking-${tenant}`} rows={trackingData} />
          </Flex>
          {holdoutStart && <Text className="mt-1">{t('clv.trackingNote', { date: formatDate(day(holdoutStart), lang) })}</Text>}
          <QueryLoad state={tracking} empty={weeks.length === 0} emptyReason="clv.none" skeleton="h-72">
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
            <ExportButton filename={`clv-holdout-groups-${tenant}`} rows={groupData} />
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
            <table className="mt-4 w-full text-tremor-default" data-testid="clv-groups">
              <thead>
                <tr>
                  <th className="text-left text-tremor-content">{label('clv_holdout_groups.calibration_purchases')}</th>
                  {groupData.map((g) => (
                    <th key={g.x} className="text-right text-tremor-content">
                      {g.x}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {[actual, model].map((series) => (
                  <tr key={series}>
                    <td className="py-1 font-medium">{series}</td>
                    {groupData.map((g) => (
                      <td key={g.x} className="py-1 text-right" data-testid={`clv-group-${series === actual ? 'actual' : 'model'}-${g.x}`} data-value={g[series] ?? ''}>
                        {g[series] === null && minGroupSize ? t('state.suppressed', { n: minGroupSize }) : formatValue(g[series] as number | null, 'number', lang)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </QueryLoad>
        </Card>
      </QueryLoad>
    </div>
  );
}
