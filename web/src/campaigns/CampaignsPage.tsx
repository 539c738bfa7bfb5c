import { Card, Flex, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow, Text, Title } from '@tremor/react';
import { useMemo } from 'react';
import type { Catalog } from '../data/catalog';
import { suppressedBelow } from '../data/suppression';
import { useCubeQuery } from '../data/useCubeQuery';
import { ExportButton } from '../ui/ExportButton';
import { useT } from '../ui/LangContext';
import { valueLabel } from '../ui/measureLabel';
import { QueryLoad } from '../ui/QueryState';
import { campaignListQuery, m, rowsOf, type Row } from './campaignQueries';
import { LiftBySegmentCard } from './LiftBySegmentCard';
import { LiftCells, LiftHeaderCells } from './LiftCells';
import { liftExportColumns, liftExportRows, liftRowHidden } from './liftExport';

/** Breakdowns offered, by the dimension's `meta.role` (RFM segment and tier are the ones as at assignment). */
const SEGMENT_ROLES = ['rfm_segment', 'tier', 'age_band', 'region', 'gender'];

export function CampaignsPage({ catalog, params, setParams }: { catalog: Catalog; params: URLSearchParams; setParams: (set: Record<string, string | null>) => void }) {
  const { t, lang } = useT();
  const list = useCubeQuery(useMemo(campaignListQuery, []));
  const campaigns = rowsOf(list.resultSet);
  const selected = params.get('campaign') ?? campaigns[0]?.[m('campaigns_campaign_id')] ?? null;
  const segmentDims = SEGMENT_ROLES.map((r) => catalog.dimensionByRole('campaign_performance', r)).filter((d) => d !== undefined);
  const segment = params.get('by') ?? segmentDims[0]?.name ?? '';
  const code = (name: string, row: Row) => valueLabel(catalog.member(m(name)), row[m(name)], lang);
  const minGroupSize = suppressedBelow(list.resultSet);
  const start = catalog.member(m('campaigns_start_date'));
  // The campaign as the table names it (its name, objective and channel labelled), then its figures.
  const exportColumns = liftExportColumns(catalog, t, t('campaigns.verdict'), [
    ...['campaigns_campaign_id', 'campaigns_name', 'campaigns_objective', 'campaigns_channel'].map((n) => catalog.member(m(n))).filter((c) => c !== undefined),
    ...(start ? [{ ...start, name: `${start.name}.day` }] : []),
  ]);

  return (
    <div className="space-y-6">
      <Title>{t('nav.campaigns')}</Title>
      <Card>
        <Flex className="gap-4">
          <Title>{t('campaigns.title')}</Title>
          <ExportButton filename="campaigns" rows={liftExportRows(campaigns)} columns={exportColumns} minGroupSize={minGroupSize} hidden={liftRowHidden} />
        </Flex>
        <Text className="mt-2">{t('campaigns.note')}</Text>
        {/* The list is every campaign of the tenant, whatever the period: none means none were imported. */}
        <QueryLoad state={list} empty={campaigns.length === 0} emptyReason="empty.noCampaigns" skeleton="h-96">
          <Table className="mt-4 max-h-[32rem]" data-testid="campaign-table">
            <TableHead>
              <TableRow>
                <TableHeaderCell className="px-3">{t('campaigns.campaign')}</TableHeaderCell>
                <LiftHeaderCells />
              </TableRow>
            </TableHead>
            <TableBody>
              {campaigns.map((c) => {
                const id = c[m('campaigns_campaign_id')]!;
                return (
                  <TableRow key={id} className={`cursor-pointer ${id === selected ? 'bg-tremor-brand-faint' : ''}`} onClick={() => setParams({ campaign: id })} data-testid={`campaign-${id}`}>
                    <TableCell className="min-w-48 whitespace-normal px-3">
                      <Text className="font-medium text-tremor-content-strong">{c[m('campaigns_name')]}</Text>
                      <Text className="text-tremor-label">
                        {code('campaigns_objective', c)} · {code('campaigns_channel', c)}
                      </Text>
                    </TableCell>
                    <LiftCells row={c} catalog={catalog} minGroupSize={minGroupSize} />
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </QueryLoad>
      </Card>
      {selected && segment && <LiftBySegmentCard catalog={catalog} campaignId={selected} dimensions={segmentDims} segment={segment} onSegment={(by) => setParams({ by })} />}
    </div>
  );
}
