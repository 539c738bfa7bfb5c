import { Card, Flex, Text, Title } from '@tremor/react';
import type { Catalog, CatalogMember } from '../data/catalog';
import { ErrorCallout } from '../ui/ErrorCallout';
import { formatValue } from '../ui/i18n';
import { useT } from '../ui/LangContext';
import type { Period } from './boardQueries';
import { useBoardView, type KpiFigure } from './useBoard';

/** Revenue (KGI) = active customers × orders per customer × AOV: which driver moved. */
const TREE = ['revenue', 'active_customers', 'orders_per_customer', 'aov'];

function Node({ figure }: { figure: KpiFigure }) {
  const { t, lang } = useT();
  const format = figure.measure?.format ?? 'number';
  const up = (figure.change ?? 0) >= 0;
  return (
    <div className="rounded-tremor-default border border-tremor-border bg-white p-3 text-center" data-testid={`tree-${figure.kpi}`}>
      <Text>{t(`kpi.${figure.kpi}`)}</Text>
      <p className="text-lg font-semibold text-tremor-content-strong">{formatValue(figure.value, format, lang, { compact: true })}</p>
      <p className={`text-tremor-label ${up ? 'text-emerald-600' : 'text-rose-600'}`}>
        {figure.change === null ? '–' : `${up ? '▲' : '▼'} ${formatValue(Math.abs(figure.change), 'percent', lang)}`}
        {figure.attainment !== null && <span className="ml-2 text-tremor-content">{t('board.target')} {formatValue(figure.attainment, 'percent', lang)}</span>}
      </p>
    </div>
  );
}

interface TreeProps {
  catalog: Catalog;
  period: Period;
  tenant: string | null;
}

/** Shown when the model defines all four measures in one view. */
export function KgiTree(props: TreeProps) {
  const members = TREE.map((k) => props.catalog.byKpi(k)).filter((m): m is CatalogMember => !!m);
  if (members.length < TREE.length || members.some((m) => m.view !== members[0].view)) return null;
  return <KgiTreeBody {...props} members={members} />;
}

function KgiTreeBody({ catalog, period, tenant, members }: TreeProps & { members: CatalogMember[] }) {
  const { t } = useT();
  const { figures, error } = useBoardView(catalog, members[0].view, members, period, tenant);
  const [root, ...drivers] = figures;
  return (
    <Card>
      <Title>{t('board.kpiTree')}</Title>
      {error && <ErrorCallout error={error} />}
      {root && (
        <div className="mt-4 flex flex-col items-center gap-3">
          <div className="w-64"><Node figure={root} /></div>
          <Text>=</Text>
          <Flex justifyContent="center" className="gap-3">
            {drivers.map((f, i) => (
              <Flex key={f.kpi} className="w-auto gap-3">
                {i > 0 && <Text>×</Text>}
                <div className="w-52"><Node figure={f} /></div>
              </Flex>
            ))}
          </Flex>
        </div>
      )}
    </Card>
  );
}
