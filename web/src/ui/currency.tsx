import { Callout } from '@tremor/react';
import { createContext, useContext, type ReactNode } from 'react';
import type { Catalog } from '../data/catalog';
import { tenantsQuery } from '../data/tenantsQuery';
import { useCubeQuery } from '../data/useCubeQuery';
import { ErrorCallout } from './ErrorCallout';
import { DEFAULT_CURRENCY } from './format';
import { useT } from './LangContext';

/**
 * The currency the page's money is in (an ISO 4217 code from `tenants.currency`), for
 * formatValue: the tenant's when the page shows one tenant, or the one all visible tenants share;
 * null when the page adds up tenants of different currencies (amounts then have no sign).
 */
const CurrencyContext = createContext<string | null>(DEFAULT_CURRENCY);

export const useCurrency = () => useContext(CurrencyContext);

/**
 * The currencies of the tenant picked, or of every visible tenant when none is, sorted: one
 * makes the page's currency, several mean its sums mix currencies.
 */
export function currenciesOf(rows: Record<string, unknown>[], tenantDimension: string, currency: string, tenant: string | null): string[] {
  return [...new Set(rows.filter((r) => !tenant || r[tenantDimension] === tenant).map((r) => String(r[currency])))].sort();
}

/**
 * Money below is written in the one currency of `currencies`; several get the notice that the
 * figures mix currencies (a sum of pounds and yen is no amount in either) and no sign. An empty
 * list (not known yet) writes no sign rather than a wrong one.
 */
export function CurrencyScope({ currencies, children }: { currencies: string[]; children: ReactNode }) {
  const { t } = useT();
  return (
    <CurrencyContext.Provider value={currencies.length === 1 ? currencies[0] : null}>
      {currencies.length > 1 && <Callout color="amber" title={t('currency.mixed', { currencies: currencies.join(', ') })} data-testid="currency-mixed" />}
      {children}
    </CurrencyContext.Provider>
  );
}

/**
 * A page without a tenant picker (segments, campaigns): its money is in the currency of the
 * tenants the user sees (a tenant user's own). Read from the board view's tenant and currency
 * dimensions; a model without a currency dimension keeps yen. The page waits for this one small
 * query rather than show its money in a wrong currency first.
 */
export function VisibleTenantsCurrency({ catalog, children }: { catalog: Catalog; children: ReactNode }) {
  const revenue = catalog.byKpi('revenue');
  const tenant = revenue && catalog.dimensionByRole(revenue.view, 'tenant');
  const currency = revenue && catalog.dimensionByRole(revenue.view, 'currency');
  const tenants = useCubeQuery(revenue && tenant && currency ? tenantsQuery(revenue.name, tenant.name, [currency.name]) : null);
  if (!tenant || !currency) return <>{children}</>;
  if (tenants.error) return <ErrorCallout error={tenants.error} />;
  if (!tenants.resultSet) return null;
  const rows = tenants.resultSet.tablePivot() as Record<string, unknown>[];
  return <CurrencyScope currencies={currenciesOf(rows, tenant.name, currency.name, null)}>{children}</CurrencyScope>;
}
