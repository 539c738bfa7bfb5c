import { Card, Flex, Text, Title } from '@tremor/react';
import type { Catalog, CatalogMember } from '../data/catalog';
import { ErrorCallout } from '../ui/ErrorCallout';
import { useCurrency } from '../ui/currency';
import { formatValue } from '../ui/format';
import { useT } from '../ui/LangContext';
import { memberLabel } from '../ui/measureLabel';
import type { Period } from './boardQueries';
import type { KpiFigure } from './boardSeries';
import { useBoardView } from './useBoard';

function Node({ figure, isLoading }: { figure: KpiFigure; isLoading: boolean }) {
  const { t, lang } = useT();
  const currency = useCurrency();
  const format = figure.measure?.format ?? 'number';
  const up = (figure.change ?? 0) >= 0;
  return (
    <div className="rounded-tremor-default border border-tremor-border bg-white p-3 text-center" data-testid={`tree-${figure.kpi}`}>
      <Text>{figure.measure ? memberLabel(figure.measure, lang) : figure.kpi}</Text>
      {isLoading && figure.value === null ? (
        <div className="mx-auto my-1 h-6 w-24 animate-pulse rounded bg-tremor-background-subtle" aria-busy="true" data-testid={`tree-loading-${figure.kpi}`} />
      ) : (
        <p className="text-lg font-semibold text-tremor-content-strong" data-testid={`tree-value-${figure.kpi}`} data-value={figure.value ?? ''}>
          {formatValue(figure.value, format, lang, currency)}
        </p>
      )}
      <p className={`text-tremor-label ${up ? 'text-emerald-600' : 'text-rose-600'}`}>
        {figure.change === null ? '–' : `${up ? '▲' : '▼'} ${formatValue(Math.abs(figure.change), 'percent', lang)}`}
        {figure.attainment !== null && (
          <span className="ml-2 text-tremor-content">
            {t('board.target')} {formatValue(figure.attainment, 'percent', lang)}
          </span>
        )}
      </p>
    </div>
  );
}

/**
 * Revenue = member revenue + non-member revenue; member revenue = active customers × orders per
 * customer × member AOV (TREE_KPIS' order), for one period (mounted per period, see useBoardView).
 * The drivers count members only, so they multiply out to member revenue; the non-member share of
 * revenue is shown beside it.
 */
export function KgiTree({ catalog, members, period, tenant }: { catalog: Catalog; members: CatalogMember[]; period: Period; tenant: string | null }) {
  const { t, lang } = useT();
  const { figures, isLoading, error } = useBoardView(catalog, members[0].view, members, period, tenant);
  const [root, memberRevenue, nonMemberRevenue, ...drivers] = figures;
  const share = root.value && nonMemberRevenue.value !== null ? nonMemberRevenue.value / root.value : null;
  return (
    <Card data-testid="kgi-tree">
      <Title>{t('board.kpiTree')}</Title>
      {error && <ErrorCallout error={error} />}
      <div className="mt-4 flex flex-col items-center gap-3">
        <div className="w-64">
          <Node figure={root} isLoading={isLoading} />
        </div>
        <Text>=</Text>
        <Flex justifyContent="center" className="gap-3">
          <div className="w-52">
            <Node figure={memberRevenue} isLoading={isLoading} />
          </div>
          <Text>+</Text>
          <div className="w-52">
            <Node figure={nonMemberRevenue} isLoading={isLoading} />
            <p className="mt-1 text-center text-tremor-label text-tremor-content" data-testid="tree-non-member-share" data-value={share ?? ''}>
              {t('board.nonMemberShare', { share: formatValue(share, 'percent', lang) })}
            </p>
          </div>
        </Flex>
        <Text>{t('board.memberRevenueIs')}</Text>
        <Flex justifyContent="center" className="gap-3">
          {drivers.map((f, i) => (
            <Flex key={f.kpi} className="w-auto gap-3">
              {i > 0 && <Text>×</Text>}
              <div className="w-52">
                <Node figure={f} isLoading={isLoading} />
              </div>
            </Flex>
          ))}
        </Flex>
      </div>
    </Card>
  );
}
