import { Card, Flex, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow, Text, Title } from '@tremor/react';
import type { Catalog } from '../data/catalog';
import { suppressedBelow } from '../data/suppression';
import { useCubeQuery } from '../data/useCubeQuery';
import { ExportButton } from '../ui/ExportButton';
import { useCurrency } from '../ui/currency';
import { formatValue } from '../ui/format';
import { useT } from '../ui/LangContext';
import { memberLabel, valueLabel } from '../ui/measureLabel';
import { QueryLoad } from '../ui/QueryState';
import { WithheldPredictions } from '../clv/WithheldPredictions';
import { AT_RISK, AT_RISK_MEASURES, atRiskByQuery, atRiskTotalQuery } from './atRiskQueries';

type Row = Record<string, string | null>;

/**
 * Customers at risk (high predicted value, P(alive) fallen below even odds; the rule is the
 * model's, shown as its description): how many and their predicted CLV, for the tenant and per
 * value of the dimension the page compares. Figures of fewer than the minimum group read "< 10".
 */
export function AtRiskCard({ catalog, dimension }: { catalog: Catalog; dimension: string }) {
  const { t, lang } = useT();
  const currency = useCurrency();
  const total = useCubeQuery(atRiskTotalQuery());
  const by = useCubeQuery(dimension ? atRiskByQuery(dimension) : null);
  // rawData: the rows as the API sent them (a pivot of a total without dimensions drops its blanked row).
  const totalRow = ((total.resultSet?.rawData() ?? []) as Row[])[0];
  const rows = ((by.resultSet?.rawData() ?? []) as Row[]).filter((r) => r[dimension] !== null);
  const minGroupSize = suppressedBelow(total.resultSet) ?? suppressedBelow(by.resultSet);
  const measures = AT_RISK_MEASURES.map((m) => catalog.member(m)).filter((m) => m !== undefined);
  const atRisk = catalog.member(AT_RISK);
  const dim = catalog.member(dimension);
  const shown = (v: string | null | undefined, format: 'number' | 'currency' | 'percent') =>
    v === null && minGroupSize ? t('state.suppressed', { n: minGroupSize }) : formatValue(v === null || v === undefined ? null : Number(v), format, lang, currency);
  // A blanked total (under the minimum group size) still says there are some.
  const size = totalRow?.['customer_segments.segment_size'];
  const none = !totalRow || (size !== null && Number(size) === 0);

  if (!atRisk || !dim) return null;
  return (
    <Card data-testid="at-risk-card" decoration="left" decorationColor="rose">
      <Flex className="gap-4">
        <Title>{memberLabel(atRisk, lang)}</Title>
        <ExportButton filename="customers-at-risk" rows={rows} columns={[dim, ...measures]} minGroupSize={minGroupSize} />
      </Flex>
      <Text className="mt-1">{t('atRisk.rule')}</Text>
      <WithheldPredictions catalog={catalog} />
      <QueryLoad state={total} empty={none} emptyReason="atRisk.none" skeleton="h-32">
        <Flex justifyContent="start" className="mt-3 gap-8" data-testid="at-risk-total">
          {measures.map((m) => (
            <div key={m.name}>
              <Text>{t(m.name === 'customer_segments.segment_size' ? 'atRisk.members' : 'atRisk.value')}</Text>
              <p className="text-tremor-metric font-semibold text-tremor-content-strong" data-testid={`at-risk-total-${m.name.split('.')[1]}`} data-value={totalRow?.[m.name] ?? ''}>
                {shown(totalRow?.[m.name], m.format)}
              </p>
            </div>
          ))}
        </Flex>
        <QueryLoad state={by} empty={rows.length === 0} emptyReason="atRisk.none" skeleton="h-32">
          <Table className="mt-4" data-testid="at-risk-by">
            <TableHead>
              <TableRow>
                <TableHeaderCell>{memberLabel(dim, lang)}</TableHeaderCell>
                {measures.map((m) => (
                  <TableHeaderCell key={m.name} className="text-right">
                    {t(m.name === 'customer_segments.segment_size' ? 'atRisk.members' : 'atRisk.value')}
                  </TableHeaderCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((r) => (
                <TableRow key={r[dimension]} data-testid={`at-risk-${r[dimension]}`}>
                  <TableCell>{valueLabel(dim, r[dimension], lang)}</TableCell>
                  {measures.map((m) => (
                    <TableCell key={m.name} className="text-right" data-value={r[m.name] ?? ''}>
                      {shown(r[m.name], m.format)}
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </QueryLoad>
      </QueryLoad>
    </Card>
  );
}
