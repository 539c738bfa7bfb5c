import { Badge, Card, Flex, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow, Text, Title } from '@tremor/react';
import type { Catalog, CatalogMember } from '../data/catalog';
import { useCubeQuery } from '../data/useCubeQuery';
import { ErrorCallout } from '../ui/ErrorCallout';
import { useCurrency } from '../ui/currency';
import { formatDate, formatValue, toNumber } from '../ui/format';
import { useT } from '../ui/LangContext';
import { memberLabel } from '../ui/measureLabel';
import type { BoardMembers } from './boardMembers';
import { landingQuery, scopeIn } from './boardQueries';

type Landing = NonNullable<BoardMembers['landing']>;

/**
 * Where the fiscal year lands (着地見込み) for revenue, orders and active customers, against the
 * annual target: the model's forecast (its method is the measure's description, shown on hover).
 */
export function LandingCard({ catalog, landing, fiscalYear, tenant }: { catalog: Catalog; landing: Landing; fiscalYear: number; tenant: string | null }) {
  const { t, lang } = useT();
  const currency = useCurrency();
  const members = landing.kpis.flatMap((k) => [k.landing, k.toDate, k.target, k.gap, k.attainment]).filter((m): m is CatalogMember => !!m);
  const forYear = (measures: string[]) => landingQuery(measures, landing.fiscalYear.name, fiscalYear, scopeIn(catalog, landing.view, tenant));
  const result = useCubeQuery(forYear(members.map((m) => m.name)));
  // The day the actuals run to, per tenant (a separate query: grouping the figures by it would split them).
  const asOfDimension = landing.asOf?.name;
  const asOfResult = useCubeQuery(asOfDimension ? { ...forYear([landing.kpis[0].landing.name]), dimensions: [asOfDimension] } : null);
  // rawData keeps a missing target as null (tablePivot would make it 0).
  const row = result.resultSet?.rawData()[0] as Record<string, unknown> | undefined;
  const asOf = (asOfResult.resultSet?.rawData() ?? [])
    .map((r) => String((r as Record<string, unknown>)[asOfDimension!] ?? ''))
    .sort()
    .at(-1);
  const value = (m?: CatalogMember) => (m && row ? toNumber(row[m.name]) : null);
  return (
    <Card data-testid="board-landing">
      <Flex alignItems="start">
        <div>
          <Title>{t('board.landing', { year: fiscalYear })}</Title>
          {asOf && <Text className="mt-1">{t('board.toDate', { asOf: formatDate(asOf, lang) })}</Text>}
        </div>
      </Flex>
      {result.error ? (
        <ErrorCallout error={result.error} />
      ) : (
        <Table className="mt-4">
          <TableHead>
            <TableRow>
              <TableHeaderCell />
              <TableHeaderCell className="text-right">{t('board.yearToDate')}</TableHeaderCell>
              <TableHeaderCell className="text-right">{t('board.landingValue')}</TableHeaderCell>
              <TableHeaderCell className="text-right">{t('board.annualTarget')}</TableHeaderCell>
              <TableHeaderCell className="text-right">{t('board.gap')}</TableHeaderCell>
              <TableHeaderCell className="text-right">{t('board.landingAttainment')}</TableHeaderCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {landing.kpis.map((k) => {
              const forecast = value(k.landing);
              const target = value(k.target);
              const gap = value(k.gap);
              const cell = (m: CatalogMember | undefined, v: number | null, testId: string, empty: string) => (
                <TableCell className="text-right tabular-nums" data-testid={testId} data-value={v ?? ''}>
                  {result.isLoading && !row ? (
                    <div className="ml-auto h-4 w-20 animate-pulse rounded bg-tremor-background-subtle" />
                  ) : v === null ? (
                    <Text>{empty}</Text>
                  ) : (
                    formatValue(v, m?.format ?? 'number', lang, currency)
                  )}
                </TableCell>
              );
              return (
                <TableRow key={k.landing.name} data-testid={`landing-${k.landing.kpi}`}>
                  <TableCell title={k.landing.description}>{memberLabel(k.landing, lang)}</TableCell>
                  {cell(k.toDate, value(k.toDate), `landing-${k.landing.kpi}-to-date`, '–')}
                  {cell(k.landing, forecast, `landing-${k.landing.kpi}-value`, t('board.noForecast'))}
                  {cell(k.target, target, `landing-${k.landing.kpi}-target`, t('board.noLandingTarget'))}
                  <TableCell className="text-right tabular-nums" data-testid={`landing-${k.landing.kpi}-gap`} data-value={gap ?? ''}>
                    {gap === null ? '–' : <Badge color={gap >= 0 ? 'emerald' : 'amber'}>{`${gap > 0 ? '+' : ''}${formatValue(gap, k.gap?.format ?? 'number', lang, currency)}`}</Badge>}
                  </TableCell>
                  {cell(k.attainment, value(k.attainment), `landing-${k.landing.kpi}-attainment`, '–')}
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </Card>
  );
}
