import { BarChart, Card, Flex, Select, SelectItem, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow, Title } from '@tremor/react';
import type { Catalog, CatalogMember } from '../data/catalog';
import { suppressedBelow } from '../data/suppression';
import { useCubeQuery } from '../data/useCubeQuery';
import { formatValue, toNumber } from '../ui/format';
import { useT } from '../ui/LangContext';
import { ExportButton } from '../ui/ExportButton';
import { memberLabel, valueLabel } from '../ui/measureLabel';
import { QueryLoad } from '../ui/QueryState';
import { liftBySegmentQuery, m, resultBy, rowsOf } from './campaignQueries';
import { LiftCells, LiftHeaderCells } from './LiftCells';
import { liftExportColumns, liftExportRows, liftRowHidden } from './liftExport';
import { liftVerdict } from './liftVerdict';

/** One campaign's lift broken down by a segment dimension (RFM segment and tier as at assignment, age band…). */
export function LiftBySegmentCard({
  catalog,
  campaignId,
  dimensions,
  segment,
  onSegment,
}: {
  catalog: Catalog;
  campaignId: string;
  dimensions: CatalogMember[];
  segment: string;
  onSegment: (dimension: string) => void;
}) {
  const { t, lang } = useT();
  const state = useCubeQuery(liftBySegmentQuery(campaignId, segment));
  const result = resultBy(state.resultSet, segment);
  const rows = rowsOf(result);
  const member = catalog.member(segment);
  const label = (value: string | null) => (value === null ? '–' : valueLabel(member, value, lang));
  const difference = t('campaigns.difference');
  // The chart follows the table's verdict: a group whose lift is undefined, too small to read or
  // withheld gets no bar (a bar would read as a result the table says is not there).
  const readable = rows.filter((r) => ['win', 'loss', 'not_significant'].includes(liftVerdict(r) ?? ''));
  const left = rows.length - readable.length;
  const minGroupSize = suppressedBelow(result);
  return (
    <Card data-testid="lift-by-segment">
      <Flex className="gap-4">
        <Title>{t('campaigns.bySegment')}</Title>
        <Select placeholder={t('state.choose')} className="w-56" value={segment} onValueChange={onSegment} data-testid="segment-by">
          {dimensions.map((d) => (
            <SelectItem key={d.name} value={d.name}>
              {memberLabel(d, lang)}
            </SelectItem>
          ))}
        </Select>
        <ExportButton
          filename={`campaign-${campaignId}-by-${segment.split('.')[1]}`}
          rows={liftExportRows(rows)}
          columns={liftExportColumns(catalog, t, t('campaigns.verdict'), member ? [member] : [])}
          minGroupSize={minGroupSize}
          hidden={liftRowHidden}
        />
      </Flex>
      {/* A result of the previous breakdown counts as still loading. */}
      <QueryLoad
        state={{ error: state.error, isLoading: state.isLoading || (state.resultSet !== null && result === null), resultSet: result }}
        empty={rows.length === 0}
        emptyReason="empty.campaignSegments"
        skeleton="h-64"
      >
        <div data-testid="segment-chart" data-segments={JSON.stringify(readable.map((r) => r[segment]))}>
          {readable.length > 0 && (
            <BarChart
              className="mt-4 h-64"
              data={readable.map((r) => ({ segment: label(r[segment]), [difference]: toNumber(r[m('lift_difference')]) }))}
              index="segment"
              categories={[difference]}
              colors={['indigo']}
              valueFormatter={(v) => formatValue(v, 'percent', lang)}
            />
          )}
          {left > 0 && (
            <p className="mt-4 text-tremor-default text-tremor-content" data-testid="segment-chart-note">
              {t('campaigns.chartReadableOnly', { n: left })}
            </p>
          )}
        </div>
        <Table className="mt-4" data-testid="segment-table">
          <TableHead>
            <TableRow>
              <TableHeaderCell className="px-3">{member ? memberLabel(member, lang) : ''}</TableHeaderCell>
              <LiftHeaderCells />
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={r[segment] ?? '∅'} data-testid="segment-row" data-value={r[segment] ?? ''}>
                <TableCell className="px-3">{label(r[segment])}</TableCell>
                <LiftCells row={r} catalog={catalog} minGroupSize={minGroupSize} />
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </QueryLoad>
    </Card>
  );
}
