import { useCubeQuery } from '../data/useCubeQuery';
import { suppressedBelow } from '../data/suppression';
import { formatDate, toNumber } from '../ui/format';
import { useT } from '../ui/LangContext';
import { checkedTenantsQuery, checkSummaryQuery, groupLabel, groupsQuery, trackingQuery } from './clvCheckQueries';

type Row = Record<string, string | number | boolean | null>;
const rowsOf = (state: { resultSet: { tablePivot(): unknown[] } | null }) => (state.resultSet?.tablePivot() ?? []) as Row[];
export const day = (v: unknown) => String(v).slice(0, 10);

/**
 * The holdout check's state: the tenants with a check, the one picked (`?tenant=`, else the
 * first), its summary, and the two series (cumulative repeat purchases by week; purchases per
 * member in the holdout by purchases in calibration) with the actual and the model's figures
 * under their translated names, as the charts, the table and the CSV export take them.
 */
export function useClvCheck(tenantParam: string | null) {
  const { t, lang } = useT();
  const tenants = useCubeQuery(checkedTenantsQuery());
  const ids = rowsOf(tenants).map((r) => String(r['clv_tracking.tenant_id']));
  const tenant = ids.find((id) => id === tenantParam) ?? ids[0] ?? null;
  const summary = useCubeQuery(tenant ? checkSummaryQuery(tenant) : null);
  const tracking = useCubeQuery(tenant ? trackingQuery(tenant) : null);
  const groups = useCubeQuery(tenant ? groupsQuery(tenant) : null);
  const weeks = rowsOf(tracking);
  const actual = t('clv.actual');
  const model = t('clv.model');
  return {
    tenants,
    ids,
    tenant,
    summary,
    check: rowsOf(summary)[0] as Row | undefined,
    tracking,
    groups,
    series: { actual, model },
    holdoutStart: weeks.find((w) => w['clv_tracking.in_holdout'] === true || w['clv_tracking.in_holdout'] === 'true')?.['clv_tracking.week_start'],
    trackingData: weeks.map((w) => ({
      week: formatDate(day(w['clv_tracking.week_start']), lang),
      [actual]: toNumber(w['clv_tracking.cumulative_actual_repeat_purchases']),
      [model]: toNumber(w['clv_tracking.cumulative_expected_repeat_purchases']),
    })),
    groupData: rowsOf(groups).map((g) => ({
      x: groupLabel(Number(g['clv_holdout_groups.calibration_purchases'])),
      [actual]: toNumber(g['clv_holdout_groups.actual_per_customer']),
      [model]: toNumber(g['clv_holdout_groups.expected_per_customer']),
    })),
    minGroupSize: suppressedBelow(groups.resultSet),
  };
}

export type ClvCheckState = ReturnType<typeof useClvCheck>;
