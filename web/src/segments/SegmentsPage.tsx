import { BarChart, Button, Card, Flex, Grid, MultiSelect, MultiSelectItem, Select, SelectItem, Text, Title } from '@tremor/react';
import type { CubeApi } from '@cubejs-client/core';
import { useState } from 'react';
import type { Catalog } from '../data/catalog';
import { useSessionContext } from '../data/SessionContext';
import { suppressedBelow } from '../data/suppression';
import { useCubeQuery } from '../data/useCubeQuery';
import { downloadCsv } from '../ui/csv';
import { ErrorCallout } from '../ui/ErrorCallout';
import { ExportButton } from '../ui/ExportButton';
import { formatValue } from '../ui/format';
import { useT } from '../ui/LangContext';
import { measureLabel } from '../ui/measureLabel';
import { dimensionLabelKey, SegmentBuilder } from './SegmentBuilder';
import { builtSegmentQuery, compareQuery, COMPARE_MEASURES, contactListQuery, segmentValuesQuery, type SegmentCondition } from './segmentQueries';
import { TierMigrationCard } from './TierMigrationCard';

const ROLES = ['rfm_segment', 'tier', 'channel', 'region', 'age_band'];
const CONTACT_COLUMNS = ['customer_segments.name', 'customer_segments.email', 'customer_segments.phone', 'customer_segments.email_opt_in', 'customer_segments.line_linked'];

/** One card of the comparison: a value of the chosen dimension, or the segment built from filters. */
interface SegmentRow {
  key: string;
  label: string;
  conditions: SegmentCondition[];
  figures: Record<string, string | null>;
}

async function exportContacts(cubeApi: CubeApi, segment: SegmentRow, columns: string[]) {
  const rs = await cubeApi.load(contactListQuery(segment.conditions, columns));
  downloadCsv(`segment-${segment.key}-contacts`, rs.tablePivot() as Record<string, unknown>[]);
}

export function SegmentsPage({ catalog, params, setParams }: { catalog: Catalog; params: URLSearchParams; setParams: (set: Record<string, string | null>) => void }) {
  const { t, lang } = useT();
  const { cubeApi } = useSessionContext();
  const [exporting, setExporting] = useState<string | null>(null);
  const dims = ROLES.map((r) => catalog.dimensionByRole('customer_segments', r)).filter((d) => d !== undefined);
  const dimension = params.get('by') ?? dims[0]?.name ?? '';
  const options = useCubeQuery(dimension ? segmentValuesQuery(dimension) : null);
  const values = ((options.resultSet?.tablePivot() ?? []) as Record<string, string>[]).map((r) => r[dimension]).filter(Boolean);
  // The built segment's conditions live in the URL as f_<role>=value (f_region=Kanto&f_tier=gold).
  const conditions: SegmentCondition[] = dims.flatMap((d) => (params.get(`f_${d.role}`) ? [{ dimension: d.name, value: params.get(`f_${d.role}`)! }] : []));
  // Four cards at most: a built segment takes the place of one value.
  const maxValues = conditions.length ? 3 : 4;
  const picked = (params.get('segments') ?? '').split(',').filter(Boolean).slice(0, maxValues);
  const chosen = picked.length ? picked : values.slice(0, maxValues);
  const compare = useCubeQuery(dimension && chosen.length ? compareQuery(dimension, chosen) : null);
  const built = useCubeQuery(conditions.length ? builtSegmentQuery(conditions) : null);
  const rows: SegmentRow[] = [
    ...((compare.resultSet?.tablePivot() ?? []) as Record<string, string | null>[]).map((r) => ({ key: r[dimension]!, label: r[dimension]!, conditions: [{ dimension, value: r[dimension]! }], figures: r })),
    ...((built.resultSet?.tablePivot() ?? []) as Record<string, string | null>[]).map((r) => ({ key: 'built', label: `${t('segments.built')}: ${conditions.map((c) => c.value).join(' · ')}`, conditions, figures: r })),
  ];
  const minGroupSize = suppressedBelow(compare.resultSet) ?? suppressedBelow(built.resultSet);
  const measures = COMPARE_MEASURES.map((m) => catalog.member(m)).filter((m) => m !== undefined);
  // Contact lists carry personal data: only offered when the catalog (i.e. the role) has it.
  const contactColumns = CONTACT_COLUMNS.filter((c) => catalog.member(c));
  const canExportContacts = catalog.member('customer_segments.email') !== undefined;

  return (
    <div className="space-y-6">
      <Flex justifyContent="between" className="flex-wrap gap-4">
        <Title>{t('nav.segments')}</Title>
        <Flex className="w-auto gap-3">
          <Select className="w-48" value={dimension} onValueChange={(v) => setParams({ by: v, segments: null })}>
            {dims.map((d) => <SelectItem key={d.name} value={d.name}>{t(dimensionLabelKey(d))}</SelectItem>)}
          </Select>
          <MultiSelect className="w-80" value={chosen} onValueChange={(v) => setParams({ segments: v.slice(0, maxValues).join(',') || null })}>
            {values.map((v) => <MultiSelectItem key={v} value={v}>{v}</MultiSelectItem>)}
          </MultiSelect>
        </Flex>
      </Flex>
      <SegmentBuilder dimensions={dims} values={Object.fromEntries(dims.map((d) => [d.role!, params.get(`f_${d.role}`) ?? '']))} onChange={(role, value) => setParams({ [`f_${role}`]: value })} />
      {(compare.error ?? built.error) && <ErrorCallout error={(compare.error ?? built.error)!} />}
      <Grid numItemsMd={2} numItemsLg={Math.max(2, rows.length)} className="gap-4" data-testid="segment-cards">
        {rows.map((r) => (
          <Card key={r.key} decoration="top" decorationColor={r.key === 'built' ? 'amber' : 'indigo'} data-testid={`segment-${r.key}`}>
            <Title>{r.label}</Title>
            {measures.map((m) => (
              <Flex key={m.name} className="mt-2">
                <Text>{measureLabel(m, t)}</Text>
                <span className="text-tremor-default font-medium text-tremor-content-strong" data-testid={`${r.key}-${m.name.split('.')[1]}`} data-value={r.figures[m.name] ?? ''}>
                  {r.figures[m.name] === null && minGroupSize ? t('state.suppressed', { n: minGroupSize }) : formatValue(r.figures[m.name] === null ? null : Number(r.figures[m.name]), m.format, lang)}
                </span>
              </Flex>
            ))}
            {canExportContacts && (
              <Button size="xs" variant="secondary" className="mt-4" loading={exporting === r.key} tooltip={t('segments.contactsHint')}
                onClick={async () => { setExporting(r.key); await exportContacts(cubeApi, r, contactColumns).finally(() => setExporting(null)); }}>
                {t('segments.contacts')}
              </Button>
            )}
          </Card>
        ))}
      </Grid>
      <Grid numItemsLg={2} className="gap-4">
        {measures.filter((m) => m.format !== 'number' || m.name.endsWith('frequency')).slice(0, 4).map((m) => (
          <Card key={m.name}>
            <Flex><Title>{measureLabel(m, t)}</Title><ExportButton filename={`segments-${m.name.split('.')[1]}`} rows={rows.map((r) => ({ segment: r.label, [m.name]: r.figures[m.name] }))} /></Flex>
            <BarChart className="mt-4 h-48" data={rows.map((r) => ({ segment: r.label, [measureLabel(m, t)]: r.figures[m.name] === null ? null : Number(r.figures[m.name]) }))} index="segment" categories={[measureLabel(m, t)]} colors={['indigo']} valueFormatter={(v) => formatValue(v, m.format, lang)} />
          </Card>
        ))}
      </Grid>
      {catalog.view('tier_migration') && <TierMigrationCard catalog={catalog} params={params} setParams={setParams} />}
    </div>
  );
}
