import { BarChart, Button, Card, Flex, Grid, Metric, MultiSelect, MultiSelectItem, Select, SelectItem, Text, Title } from '@tremor/react';
import type { CubeApi } from '@cubejs-client/core';
import { useState } from 'react';
import type { Catalog } from '../data/catalog';
import { useSessionContext } from '../data/SessionContext';
import { suppressedBelow } from '../data/suppression';
import { useCubeQuery } from '../data/useCubeQuery';
import { downloadCsv } from '../ui/csv';
import { ErrorCallout } from '../ui/ErrorCallout';
import { ExportButton } from '../ui/ExportButton';
import { formatValue } from '../ui/i18n';
import { useT } from '../ui/LangContext';
import { measureLabel } from '../ui/measureLabel';
import { compareQuery, COMPARE_MEASURES, contactListQuery, segmentValuesQuery, tierMigrationQuery } from './segmentQueries';

const ROLES = ['rfm_segment', 'tier', 'channel', 'region', 'age_band'];
const TIERS = ['regular', 'silver', 'gold', 'platinum'];
const CONTACT_COLUMNS = ['customer_segments.name', 'customer_segments.email', 'customer_segments.phone', 'customer_segments.email_opt_in', 'customer_segments.line_linked'];

async function exportContacts(cubeApi: CubeApi, dimension: string, value: string, columns: string[]) {
  const rs = await cubeApi.load(contactListQuery(dimension, value, columns));
  downloadCsv(`segment-${value}-contacts`, rs.tablePivot() as Record<string, unknown>[]);
}

export function SegmentsPage({ catalog, params, setParams }: { catalog: Catalog; params: URLSearchParams; setParams: (set: Record<string, string | null>) => void }) {
  const { t, lang } = useT();
  const { cubeApi } = useSessionContext();
  const [exporting, setExporting] = useState<string | null>(null);
  const dims = ROLES.map((r) => catalog.dimensionByRole('customer_segments', r)).filter((d) => d !== undefined);
  const dimension = params.get('by') ?? dims[0]?.name ?? '';
  const picked = (params.get('segments') ?? '').split(',').filter(Boolean).slice(0, 4);
  const options = useCubeQuery(dimension ? segmentValuesQuery(dimension) : null);
  const values = ((options.resultSet?.tablePivot() ?? []) as Record<string, string>[]).map((r) => r[dimension]).filter(Boolean);
  const chosen = picked.length ? picked : values.slice(0, 4);
  const compare = useCubeQuery(dimension && chosen.length ? compareQuery(dimension, chosen) : null);
  const rows = (compare.resultSet?.tablePivot() ?? []) as Record<string, string | null>[];
  const minGroupSize = suppressedBelow(compare.resultSet);
  const measures = COMPARE_MEASURES.map((m) => catalog.member(m)).filter((m) => m !== undefined);
  // Contact lists carry personal data: only offered when the catalog (i.e. the role) has it.
  const contactColumns = CONTACT_COLUMNS.filter((c) => catalog.member(c));
  const canExportContacts = catalog.member('customer_segments.email') !== undefined;

  // Tiers change on 1 January: the last complete year shows the latest migration.
  const year = params.get('year') ?? '2025';
  const migration = useCubeQuery(catalog.view('tier_migration') ? tierMigrationQuery(year) : null);
  const cell = (from: string, to: string) => ((migration.resultSet?.tablePivot() ?? []) as Record<string, string>[]).find((r) => r['tier_migration.from_tier'] === from && r['tier_migration.to_tier'] === to)?.['tier_migration.members'];

  return (
    <div className="space-y-6">
      <Flex justifyContent="between" className="flex-wrap gap-4">
        <Title>{t('nav.segments')}</Title>
        <Flex className="w-auto gap-3">
          <Select className="w-48" value={dimension} onValueChange={(v) => setParams({ by: v, segments: null })}>
            {dims.map((d) => <SelectItem key={d.name} value={d.name}>{t(`dim.${d.role === 'channel' ? 'signup_channel' : d.role}`)}</SelectItem>)}
          </Select>
          <MultiSelect className="w-80" value={chosen} onValueChange={(v) => setParams({ segments: v.slice(0, 4).join(',') || null })}>
            {values.map((v) => <MultiSelectItem key={v} value={v}>{v}</MultiSelectItem>)}
          </MultiSelect>
        </Flex>
      </Flex>
      {compare.error && <ErrorCallout error={compare.error} />}
      <Grid numItemsMd={2} numItemsLg={Math.max(2, rows.length)} className="gap-4" data-testid="segment-cards">
        {rows.map((r) => (
          <Card key={r[dimension]} decoration="top" decorationColor="indigo" data-testid={`segment-${r[dimension]}`}>
            <Title>{r[dimension]}</Title>
            {measures.map((m) => (
              <Flex key={m.name} className="mt-2">
                <Text>{measureLabel(m, t)}</Text>
                <span className="text-tremor-default font-medium text-tremor-content-strong" data-testid={`${r[dimension]}-${m.name.split('.')[1]}`} data-value={r[m.name] ?? ''}>
                  {r[m.name] === null && minGroupSize ? t('state.suppressed', { n: minGroupSize }) : formatValue(r[m.name] === null ? null : Number(r[m.name]), m.format, lang)}
                </span>
              </Flex>
            ))}
            {canExportContacts && (
              <Button size="xs" variant="secondary" className="mt-4" loading={exporting === r[dimension]}
                onClick={async () => { setExporting(r[dimension]); await exportContacts(cubeApi, dimension, r[dimension]!, contactColumns).finally(() => setExporting(null)); }}>
                {lang === 'ja' ? '配信リストCSV（メール・LINE・クーポン）' : 'Contact list CSV (email, LINE, coupon)'}
              </Button>
            )}
          </Card>
        ))}
      </Grid>
      <Grid numItemsLg={2} className="gap-4">
        {measures.filter((m) => m.format !== 'number' || m.name.endsWith('frequency')).slice(0, 4).map((m) => (
          <Card key={m.name}>
            <Flex><Title>{measureLabel(m, t)}</Title><ExportButton filename={`segments-${m.name.split('.')[1]}`} rows={rows.map((r) => ({ segment: r[dimension], [m.name]: r[m.name] }))} /></Flex>
            <BarChart className="mt-4 h-48" data={rows.map((r) => ({ segment: r[dimension], [m.shortTitle]: Number(r[m.name]) }))} index="segment" categories={[m.shortTitle]} colors={['indigo']} valueFormatter={(v) => formatValue(v, m.format, lang, { compact: true })} />
          </Card>
        ))}
      </Grid>
      {catalog.view('tier_migration') && (
        <Card>
          <Flex>
            <Title>{lang === 'ja' ? `ランク移動（${year}年1月1日 → 翌年1月1日）` : `Tier migration over ${year} (1 Jan → next 1 Jan)`}</Title>
            <Select className="w-32" value={year} onValueChange={(v) => setParams({ year: v })}>
              {['2024', '2025', '2026'].map((y) => <SelectItem key={y} value={y}>{y}</SelectItem>)}
            </Select>
          </Flex>
          {migration.error && <ErrorCallout error={migration.error} />}
          <table className="mt-4 w-full text-tremor-default" data-testid="tier-migration">
            <thead><tr><th className="text-left text-tremor-content">from \ to</th>{TIERS.map((to) => <th key={to} className="text-right text-tremor-content">{to}</th>)}</tr></thead>
            <tbody>{TIERS.map((from) => (
              <tr key={from}><td className="py-1 font-medium">{from}</td>{TIERS.map((to) => {
                const v = cell(from, to);
                return <td key={to} className={`py-1 text-right ${from === to ? 'text-tremor-content' : TIERS.indexOf(to) > TIERS.indexOf(from) ? 'text-emerald-700' : 'text-rose-700'}`}>{v === undefined ? '–' : v === null ? '< 10' : formatValue(Number(v), 'number', lang)}</td>;
              })}</tr>
            ))}</tbody>
          </table>
        </Card>
      )}
    </div>
  );
}
