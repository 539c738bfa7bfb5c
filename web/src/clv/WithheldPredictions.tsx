import { Callout } from '@tremor/react';
import type { Catalog } from '../data/catalog';
import { useCubeQuery } from '../data/useCubeQuery';
import { useT } from '../ui/LangContext';
import { valueLabel } from '../ui/measureLabel';

const STATUS = 'clv_fit.status';
const TENANT = 'clv_fit.tenant_id';

/**
 * Says why a tenant has no predicted CLV when its latest fit was withheld (too few repeat buyers,
 * or a fit the histories cannot support; the reason is the model's, seeds/clv/fitTrust.ts), so an
 * empty at-risk list or model check is not read as "nobody is at risk". Nothing when every fit is served.
 */
export function WithheldPredictions({ catalog }: { catalog: Catalog }) {
  const { t, lang } = useT();
  const status = catalog.member(STATUS);
  const fits = useCubeQuery(status ? { dimensions: [TENANT, STATUS], filters: [{ member: STATUS, operator: 'notEquals', values: ['served'] }], order: { [TENANT]: 'asc' } } : null);
  const withheld = (fits.resultSet?.rawData() ?? []) as Record<string, string | null>[];
  if (!withheld.length) return null;
  return (
    <Callout className="mt-3" title={t('clv.withheld')} color="amber" data-testid="clv-withheld">
      {withheld.map((r) => (
        <span key={r[TENANT]} className="block" data-tenant={r[TENANT]} data-status={r[STATUS]}>
          {r[TENANT]}: {valueLabel(status, r[STATUS], lang)}
        </span>
      ))}
    </Callout>
  );
}
