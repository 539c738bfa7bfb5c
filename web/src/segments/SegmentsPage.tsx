import { BarChart, Button, Card, Flex, Grid, MultiSelect, MultiSelectItem, Select, SelectItem, Text, Title } from '@tremor/react';
import type { CubeApi } from '@cubejs-client/core';
import { useState } from 'react';
import type { Catalog } from '../data/catalog';
import { useDataCoverage } from '../data/dataCoverage';
import { useSessionContext } from '../data/SessionContext';
import { suppressedBelow } from '../data/suppression';
import { useCubeQuery } from '../data/useCubeQuery';
import { downloadCsv } from '../ui/csv';
import { ErrorCallout } from '../ui/ErrorCallout';
import { ExportButton } from '../ui/ExportButton';
import { useCurrency } from '../ui/currency';
import { chartAxis, columnFormatter } from '../ui/format';
import type { Lang } from '../ui/i18n';
import { useT } from '../ui/LangContext';
import { memberLabel, valueLabel } from '../ui/measureLabel';
import { EmptyState, QueryLoad } from '../ui/QueryState';
import { CUSTOMER_360_MEMBER } from '../customer/customerQueries';
import { AtRiskCard } from './AtRiskCard';
import { AtRiskList } from './AtRiskList';
import { AT_RISK } from './atRiskQueries';
import { SegmentBuilder } from './SegmentBuilder';
import {
  builtSegmentQuery,
  compareQuery,
  COMPARE_MEASURES,
  conditionsFromParams,
  CONTACT_CHANNELS,
  CONTACT_LISTS,
  contactCsvRows,
  contactListQuery,
  dimensionValues,
  segmentRows,
  segmentValuesQuery,
  type ContactChannel,
  type SegmentRow,
} from './segmentQueries';
import { TierMigrationCard } from './TierMigrationCard';

const ROLES = ['rfm_segment', 'tier', 'channel', 'region', 'age_band'];

/** Downloads one channel's contact list of a segment, under the column titles of the model (会員ID, 氏名, メールアドレス). */
async function exportContacts(cubeApi: CubeApi, catalog: Catalog, lang: Lang, channel: ContactChannel, segment: SegmentRow) {
  const rs = await cubeApi.load(contactListQuery(channel, segment.conditions));
  const { view } = CONTACT_LISTS[channel];
  const header = (column: string) => {
    const m = catalog.member(`${view}.${column}`);
    return m ? memberLabel(m, lang) : column;
  };
  downloadCsv(`segment-${segment.key}-${channel}-contacts`, contactCsvRows(channel, rs.tablePivot() as Record<string, unknown>[], header));
}

export function SegmentsPage({ catalog, params, setParams }: { catalog: Catalog; params: URLSearchParams; setParams: (set: Record<string, string | null>) => void }) {
  const { t, lang } = useT();
  const currency = useCurrency();
  const { cubeApi } = useSessionContext();
  const [exporting, setExporting] = useState<string | null>(null);
  // A tenant without tier records (an import) would read as all "regular": tiers are not offered.
  const noTiers = useDataCoverage(!!catalog.view('data_coverage'))?.tiers === false;
  const dims = ROLES.filter((r) => !(noTiers && r === 'tier'))
    .map((r) => catalog.dimensionByRole('customer_segments', r))
    .filter((d) => d !== undefined);
  const dimension = dims.find((d) => d.name === params.get('by'))?.name ?? dims[0]?.name ?? '';
  const options = useCubeQuery(dimension ? segmentValuesQuery(dimension) : null);
  const values = dimensionValues((options.resultSet?.tablePivot() ?? []) as Record<string, string | null>[], dimension);
  const conditions = conditionsFromParams(dims, params);
  // Four cards at most: a built segment takes the place of one value.
  const maxValues = conditions.length ? 3 : 4;
  const picked = (params.get('segments') ?? '').split(',').filter(Boolean).slice(0, maxValues);
  const chosen = picked.length ? picked : values.slice(0, maxValues);
  const compare = useCubeQuery(dimension && chosen.length ? compareQuery(dimension, chosen) : null);
  const built = useCubeQuery(conditions.length ? builtSegmentQuery(conditions) : null);
  const rows = segmentRows(dimension, (compare.resultSet?.tablePivot() ?? []) as Record<string, string | null>[], conditions, (built.resultSet?.tablePivot() ?? []) as Record<string, string | null>[]);
  const label = (r: SegmentRow) => {
    const named = r.conditions.map((c) => valueLabel(catalog.member(c.dimension), c.value, lang)).join(' · ');
    return r.key === 'built' ? `${t('segments.built')}: ${named}` : named;
  };
  const minGroupSize = suppressedBelow(compare.resultSet) ?? suppressedBelow(built.resultSet);
  const measures = COMPARE_MEASURES.map((m) => catalog.member(m)).filter((m) => m !== undefined);
  // One format per measure across the cards, as in a table column (¥219,300 beside ¥37,730, not ¥21.93万 beside ¥37,730).
  const figureFormats = new Map(
    measures.map((m) => [
      m.name,
      columnFormatter(
        rows.map((r) => (r.figures[m.name] === null ? null : Number(r.figures[m.name]))),
        m.format,
        lang,
        currency,
      ),
    ]),
  );
  // Contact lists carry personal data: a channel is offered when the role's catalog has its list with names.
  const channels = CONTACT_CHANNELS.filter((c) => catalog.member(`${CONTACT_LISTS[c].view}.name`));
  return (
    <div className="space-y-6">
      <Flex justifyContent="between" className="flex-wrap gap-4">
        <Title>{t('nav.segments')}</Title>
        <Flex className="w-auto gap-3">
          <Select placeholder={t('state.choose')} className="w-48" value={dimension} onValueChange={(v) => setParams({ by: v, segments: null })}>
            {dims.map((d) => (
              <SelectItem key={d.name} value={d.name}>
                {memberLabel(d, lang)}
              </SelectItem>
            ))}
          </Select>
          <MultiSelect placeholder={t('state.choose')} className="w-80" value={chosen} onValueChange={(v) => setParams({ segments: v.slice(0, maxValues).join(',') || null })}>
            {values.map((v) => (
              <MultiSelectItem key={v} value={v}>
                {valueLabel(catalog.member(dimension), v, lang)}
              </MultiSelectItem>
            ))}
          </MultiSelect>
        </Flex>
      </Flex>
      <SegmentBuilder dimensions={dims} values={Object.fromEntries(dims.map((d) => [d.role!, params.get(`f_${d.role}`) ?? '']))} onChange={(role, value) => setParams({ [`f_${role}`]: value })} />
      {(compare.error ?? built.error) && <ErrorCallout error={(compare.error ?? built.error)!} />}
      <Grid numItemsMd={2} numItemsLg={Math.max(2, rows.length)} className="gap-4" data-testid="segment-cards">
        {rows.map((r) => (
          <Card key={r.key} decoration="top" decorationColor={r.key === 'built' ? 'amber' : 'indigo'} data-testid={`segment-${r.key}`}>
            <Title>{label(r)}</Title>
            {measures.map((m) => (
              <Flex key={m.name} className="mt-2">
                <Text>{memberLabel(m, lang)}</Text>
                <span className="text-tremor-default font-medium text-tremor-content-strong" data-testid={`${r.key}-${m.name.split('.')[1]}`} data-value={r.figures[m.name] ?? ''}>
                  {r.figures[m.name] === null && minGroupSize ? t('state.suppressed', { n: minGroupSize }) : figureFormats.get(m.name)!(r.figures[m.name] === null ? null : Number(r.figures[m.name]))}
                </span>
              </Flex>
            ))}
            {channels.length > 0 && (
              <Flex justifyContent="start" className="mt-4 flex-wrap gap-2">
                {channels.map((channel) => (
                  <Button
                    key={channel}
                    size="xs"
                    variant="secondary"
                    loading={exporting === `${r.key}|${channel}`}
                    tooltip={t('segments.contactsConsent')}
                    data-testid={`contacts-${r.key}-${channel}`}
                    onClick={async () => {
                      setExporting(`${r.key}|${channel}`);
                      await exportContacts(cubeApi, catalog, lang, channel, r).finally(() => setExporting(null));
                    }}
                  >
                    {t(channel === 'email' ? 'segments.contactsEmail' : 'segments.contactsLine')}
                  </Button>
                ))}
              </Flex>
            )}
          </Card>
        ))}
      </Grid>
      <Grid numItemsLg={2} className="gap-4">
        {measures
          .filter((m) => m.format !== 'number' || m.name.endsWith('frequency'))
          .slice(0, 4)
          .map((m) => (
            <Card key={m.name}>
              <Flex>
                <Title>{memberLabel(m, lang)}</Title>
                <ExportButton
                  filename={`segments-${m.name.split('.')[1]}`}
                  rows={rows.map((r) => ({ segment: label(r), [m.name]: r.figures[m.name] }))}
                  columns={[{ name: 'segment', header: catalog.member(dimension) ? memberLabel(catalog.member(dimension)!, lang) : dimension, text: String }, m]}
                  minGroupSize={minGroupSize}
                />
              </Flex>
              {/* Horizontal bars: segment names (long in Japanese, and the built segment's conditions) each get a line of
                their own instead of being dropped from a crowded x axis, and the value axis has room for ¥ figures. */}
              <QueryLoad
                state={{ isLoading: compare.isLoading || built.isLoading, error: null, resultSet: compare.resultSet ?? built.resultSet }}
                empty={rows.length === 0}
                emptyReason="empty.segments"
                skeleton="h-48"
              >
                <BarChart
                  className="mt-4 h-48"
                  layout="vertical"
                  yAxisWidth={144}
                  data={rows.map((r) => ({ segment: label(r), [memberLabel(m, lang)]: r.figures[m.name] === null ? null : Number(r.figures[m.name]) }))}
                  index="segment"
                  categories={[memberLabel(m, lang)]}
                  colors={['indigo']}
                  valueFormatter={
                    chartAxis(
                      rows.map((r) => Number(r.figures[m.name]) || 0),
                      m.format,
                      lang,
                      currency,
                    ).valueFormatter
                  }
                  data-testid={`segment-chart-${m.name.split('.')[1]}`}
                />
              </QueryLoad>
            </Card>
          ))}
      </Grid>
      {catalog.member(AT_RISK) && <AtRiskCard catalog={catalog} dimension={dimension} />}
      {catalog.member(AT_RISK) && catalog.member(CUSTOMER_360_MEMBER) && <AtRiskList catalog={catalog} />}
      {catalog.view('tier_migration') &&
        (noTiers ? (
          <Card data-testid="tier-migration-card">
            <Title>{t('segments.tierMigration')}</Title>
            <EmptyState reason="empty.noTiers" />
          </Card>
        ) : (
          <TierMigrationCard catalog={catalog} params={params} setParams={setParams} />
        ))}
    </div>
  );
}
