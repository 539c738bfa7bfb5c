import { tenantsQuery } from '../data/tenantsQuery';
import { useCubeQuery } from '../data/useCubeQuery';
import { useSessionContext } from '../data/SessionContext';
import type { BoardMembers } from './boardMembers';
import { partialMonthOf } from './PartialMonth';
import {
  customPeriodProblem,
  fiscalStartMonthOf,
  isFiscal,
  lastDayOf,
  lastDayQuery,
  periodSpan,
  trailingYear,
  wholeFiscalYear,
  withData,
  type Comparison,
  type Period,
  type PeriodKind,
  type Scope,
} from './boardQueries';

export const PERIOD_KINDS: PeriodKind[] = ['month', 'quarter', 'year', 'fiscal_quarter', 'fiscal_half', 'fiscal_year', 'custom'];
export const COMPARISONS: Comparison[] = ['yoy', 'previous'];

const pick = <T extends string>(value: string | null, allowed: T[], fallback: T): T => (allowed.includes(value as T) ? (value as T) : fallback);

/**
 * What the board shows, from the URL and the model: the tenant, the period picked (`span`, whole)
 * and the days of it with data (`period`: figures and comparisons read these), whether the data
 * end inside it (`through`), the partial month, the tenant's fiscal year. Null periods until the
 * last day with data (and, for a fiscal period, the fiscal year) is known.
 */
export function useBoardPeriod(members: BoardMembers, params: URLSearchParams) {
  const { session } = useSessionContext();
  const { revenue, lastDay: lastDayMeasure, tenant: tenantDimension, tenantName, fiscalStart, currency } = members;
  const multiTenant = session.identity.tenant_id === '*';
  const tenant = multiTenant ? params.get('tenant') : null;
  const kind = pick(params.get('period'), PERIOD_KINDS, 'month');
  const comparison = pick(params.get('compare'), COMPARISONS, 'yoy');
  const scope: Scope = { tenantDimension: tenantDimension?.name, tenant };

  const last = useCubeQuery(lastDayQuery(lastDayMeasure.name, scope));
  const lastDay = lastDayOf((last.resultSet?.rawData() ?? []) as Record<string, unknown>[], lastDayMeasure.name);
  const tenants = useCubeQuery(tenantDimension ? tenantsQuery(revenue.name, tenantDimension.name, [tenantName?.name, fiscalStart?.name, currency?.name]) : null);
  const tenantRows = (tenants.resultSet?.tablePivot() ?? []) as Record<string, string>[];
  // The fiscal year's first month: the tenant's, or the one all visible tenants share (null if they differ).
  const fiscalStartMonth = tenantDimension && fiscalStart && tenants.resultSet ? fiscalStartMonthOf(tenantRows, tenantDimension.name, fiscalStart.name, tenant) : null;
  const fiscalUnknown = isFiscal(kind) && !fiscalStartMonth;
  const span = lastDay && !fiscalUnknown ? periodSpan(kind, lastDay, params.get('from'), params.get('to'), fiscalStartMonth ?? undefined) : null;
  const problem = span && lastDay ? customPeriodProblem(span, lastDay) : null;
  const period: Period | null = span && lastDay ? withData(span, lastDay) : null;
  // The trend with last year and target spans the fiscal year when one is shown, else the twelve months to the period's end.
  const trendSpan = period && (isFiscal(kind) && fiscalStartMonth ? wholeFiscalYear(period.end, fiscalStartMonth) : trailingYear(period.end));
  return {
    multiTenant,
    tenant,
    scope,
    kind,
    comparison,
    tenants,
    tenantRows,
    fiscalStartMonth,
    /** A fiscal period picked while the visible tenants' fiscal years differ: it needs a tenant. */
    fiscalUnknown,
    lastDay,
    lastDayError: last.error,
    span,
    period,
    /** The last day with data when the period picked runs past it (〜10/31 時点), else null. */
    through: span && period && span.end !== period.end ? period.end : null,
    /** The month the data end inside of, marked in the trends and the monthly table. */
    partial: partialMonthOf(lastDay),
    problem,
    trendSpan,
    /** Keys that remount figures per period and tenant (see Board). */
    periodKey: period && `${period.start}|${period.end}|${tenant ?? ''}|${fiscalStartMonth ?? ''}`,
    monthsKey: period && `${period.end}|${tenant ?? ''}`,
  };
}

export type BoardPeriodState = ReturnType<typeof useBoardPeriod>;
