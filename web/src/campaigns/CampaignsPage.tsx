import { BarChart, Card, Flex, Select, SelectItem, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow, Text, Title } from '@tremor/react';
import { useMemo } from 'react';
import type { Catalog } from '../data/catalog';
import { useCubeQuery } from '../data/useCubeQuery';
import { ErrorCallout } from '../ui/ErrorCallout';
import { ExportButton } from '../ui/ExportButton';
import { formatValue } from '../ui/format';
import { useT } from '../ui/LangContext';
import { campaignListQuery, liftBySegmentQuery } from './campaignQueries';

const SEGMENT_ROLES = ['rfm_segment', 'tier', 'age_band', 'region', 'gender'];
const P = 'campaign_performance.';
type Row = Record<string, string | null>;

function LiftCells({ row, lang }: { row: Row; lang: 'ja' | 'en' }) {
  const pct = (m: string) => formatValue(row[P + m] === null ? null : Number(row[P + m]), 'percent', lang);
  const significant = Number(row[`${P}lift_ci_low`]) > 0;
  return (
    <>
      <TableCell className="text-right">{formatValue(Number(row[`${P}treated_members`]), 'number', lang)} / {formatValue(Number(row[`${P}control_members`]), 'number', lang)}</TableCell>
      <TableCell className="text-right">{pct('treatment_conversion')}</TableCell>
      <TableCell className="text-right">{pct('control_conversion')}</TableCell>
      <TableCell className={`text-right font-medium ${significant ? 'text-emerald-700' : ''}`}>{pct('campaign_lift')}</TableCell>
      <TableCell className="text-right">[{pct('lift_ci_low')}, {pct('lift_ci_high')}]</TableCell>
      <TableCell className="text-right">{formatValue(row[`${P}incremental_revenue_per_treated`] === null ? null : Number(row[`${P}incremental_revenue_per_treated`]), 'currency', lang)}</TableCell>
    </>
  );
}

export function CampaignsPage({ catalog, params, setParams }: { catalog: Catalog; params: URLSearchParams; setParams: (set: Record<string, string | null>) => void }) {
  const { t, lang } = useT();
  const list = useCubeQuery(useMemo(campaignListQuery, []));
  const campaigns = (list.resultSet?.tablePivot() ?? []) as Row[];
  const selected = params.get('campaign') ?? campaigns[0]?.[`${P}campaigns_campaign_id`] ?? null;
  const segmentDims = SEGMENT_ROLES.map((r) => catalog.dimensionByRole('campaign_performance', r)).filter((d) => d !== undefined);
  const segment = params.get('by') ?? segmentDims[0]?.name ?? '';
  const bySegment = useCubeQuery(selected && segment ? liftBySegmentQuery(selected, segment) : null);
  const segmentRows = (bySegment.resultSet?.tablePivot() ?? []) as Row[];
  const headers = ['members', 'treatment', 'control', 'lift', 'ci', 'incRevenue'];
  const label: Record<string, Record<'ja' | 'en', string>> = {
    members: { ja: '処置群 / 対照群', en: 'Treated / control' }, treatment: { ja: '処置群CVR', en: 'Treatment conv.' }, control: { ja: '対照群CVR', en: 'Control conv.' },
    lift: { ja: 'リフト', en: 'Lift' }, diff: { ja: 'CVR差（処置−対照）', en: 'Conversion difference (treatment − control)' }, ci: { ja: '差の95%信頼区間', en: '95 % CI of the difference' }, incRevenue: { ja: '処置1人あたり増分売上', en: 'Incremental revenue / treated' },
  };

  return (
    <div className="space-y-6">
      <Title>{t('nav.campaigns')}</Title>
      <Card>
        <Flex><Title>{lang === 'ja' ? 'キャンペーン別リフト（ランダム化対照群）' : 'Lift against the randomized holdout'}</Title><ExportButton filename="campaigns" rows={campaigns} /></Flex>
        {list.error && <ErrorCallout error={list.error} />}
        <Table className="mt-4 max-h-96" data-testid="campaign-table">
          <TableHead><TableRow><TableHeaderCell>{lang === 'ja' ? 'キャンペーン' : 'Campaign'}</TableHeaderCell>{headers.map((h) => <TableHeaderCell key={h} className="text-right">{label[h][lang]}</TableHeaderCell>)}</TableRow></TableHead>
          <TableBody>
            {campaigns.map((c) => {
              const id = c[`${P}campaigns_campaign_id`]!;
              return (
                <TableRow key={id} className={`cursor-pointer ${id === selected ? 'bg-tremor-brand-faint' : ''}`} onClick={() => setParams({ campaign: id })} data-testid={`campaign-${id}`}>
                  <TableCell><Text className="font-medium text-tremor-content-strong">{c[`${P}campaigns_name`]}</Text><Text className="text-tremor-label">{c[`${P}campaigns_objective`]} · {c[`${P}campaigns_channel`]}</Text></TableCell>
                  <LiftCells row={c} lang={lang} />
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </Card>
      {selected && (
        <Card data-testid="lift-by-segment">
          <Flex>
            <Title>{lang === 'ja' ? 'セグメント別リフト' : 'Where it works: lift by segment'}</Title>
            <Select className="w-56" value={segment} onValueChange={(v) => setParams({ by: v })}>
              {segmentDims.map((d) => <SelectItem key={d.name} value={d.name}>{t(`dim.${d.role}`)}</SelectItem>)}
            </Select>
          </Flex>
          {bySegment.error && <ErrorCallout error={bySegment.error} />}
          <BarChart className="mt-4 h-64" data={segmentRows.map((r) => ({ segment: r[segment] ?? '–', [label.diff[lang]]: Number(r[`${P}lift_difference`]) }))}
            index="segment" categories={[label.diff[lang]]} colors={['indigo']} valueFormatter={(v) => formatValue(v, 'percent', lang)} />
          <Table className="mt-4">
            <TableHead><TableRow><TableHeaderCell>{t(`dim.${catalog.member(segment)?.role ?? ''}`)}</TableHeaderCell>{headers.map((h) => <TableHeaderCell key={h} className="text-right">{label[h][lang]}</TableHeaderCell>)}</TableRow></TableHead>
            <TableBody>{segmentRows.map((r) => <TableRow key={r[segment] ?? 'none'}><TableCell>{r[segment] ?? '–'}</TableCell><LiftCells row={r} lang={lang} /></TableRow>)}</TableBody>
          </Table>
        </Card>
      )}
    </div>
  );
}
