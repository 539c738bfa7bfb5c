import { useCubeQuery } from '../data/useCubeQuery';
import { currenciesOf } from '../ui/currency';
import { DEFAULT_CURRENCY } from '../ui/format';
import type { BoardMembers } from './boardMembers';
import { shownCurrenciesQuery } from './boardQueries';
import type { BoardPeriodState } from './useBoardPeriod';

/**
 * The currencies of the board's money: the tenant's, or those of the visible tenants with orders
 * in what the board shows (an all-tenants board mixes currencies only when these differ). `known`
 * is false while they load: figures wait for their currency rather than flash in none or a wrong one.
 */
export function useBoardCurrency(members: BoardMembers, { tenants, tenantRows, tenant, period }: BoardPeriodState) {
  const { revenue, timeDimension, tenant: tenantDimension, currency } = members;
  // A model without a currency keeps yen.
  const visible = tenantDimension && currency ? currenciesOf(tenantRows, tenantDimension.name, currency.name, tenant) : [DEFAULT_CURRENCY];
  const mixed = visible.length > 1 && tenantDimension && currency && period;
  const shown = useCubeQuery(mixed ? shownCurrenciesQuery(revenue.name, tenantDimension.name, currency.name, timeDimension, period) : null);
  const currencies = mixed ? currenciesOf((shown.resultSet?.tablePivot() ?? []) as Record<string, unknown>[], tenantDimension.name, currency.name, null) : visible;
  const known = !(tenantDimension && currency) || tenants.error !== null || shown.error !== null || (tenants.resultSet !== null && (!mixed || shown.resultSet !== null));
  return { currencies, known, error: shown.error };
}
