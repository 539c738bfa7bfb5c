import { Card, Flex, Select, SelectItem, Text, Title } from '@tremor/react';
import { suppressedBelow } from '../data/suppression';
import { useCubeQuery } from '../data/useCubeQuery';
import { ErrorCallout } from '../ui/ErrorCallout';
import { ExportButton } from '../ui/ExportButton';
import { formatDate, formatValue } from '../ui/format';
import type { Catalog } from '../data/catalog';
import { useT } from '../ui/LangContext';
import { valueLabel } from '../ui/measureLabel';
import { tierMigrationPointsQuery, tierMigrationQuery } from './segmentQueries';

const TIERS = ['regular', 'silver', 'gold', 'platinum'];
const day = (v: unknown) => String(v).slice(0, 10);

/**
 * Loyalty-tier migration between two dates, as a from-tier x to-tier matrix. Tiers change only
 * on 1 January, so the dates offered are the 1 January points in the data; by default the latest
 * pair one year apart (the last complete year's movement).
 */
export function TierMigrationCard({ catalog, params, setParams }: { catalog: Catalog; params: URLSearchParams; setParams: (set: Record<string, string | null>) => void }) {
  const { t, lang } = useT();
  const points = useCubeQuery(tierMigrationPointsQuery());
  const pairs = ((points.resultSet?.tablePivot() ?? []) as Record<string, unknown>[]).map((r) => [day(r['tier_migration.from_date']), day(r['tier_migration.to_date'])] as const);
  const froms = [...new Set(pairs.map(([f]) => f))];
  const latest = froms.at(-1);
  const from = params.get('tier_from') ?? latest ?? '';
  const tos = pairs.filter(([f]) => f === from).map(([, to]) => to);
  const to = params.get('tier_to') ?? tos[0] ?? '';
  const migration = useCubeQuery(from && to ? tierMigrationQuery(from, to) : null);
  const rows = (migration.resultSet?.tablePivot() ?? []) as Record<string, string | null>[];
  const minGroupSize = suppressedBelow(migration.resultSet);
  const cell = (f: string, tt: string) => rows.find((r) => r['tier_migration.from_tier'] === f && r['tier_migration.to_tier'] === tt);

  return (
    <Card data-testid="tier-migration-card">
      <Flex className="flex-wrap gap-3">
        <Title>{t('segments.tierMigration')}</Title>
        <Flex className="w-auto gap-2">
          <Select placeholder={t('state.choose')} className="w-40" value={from} onValueChange={(v) => setParams({ tier_from: v, tier_to: null })} data-testid="tier-from">
            {froms.map((d) => (
              <SelectItem key={d} value={d}>
                {formatDate(d, lang)}
              </SelectItem>
            ))}
          </Select>
          <Text>→</Text>
          <Select placeholder={t('state.choose')} className="w-40" value={to} onValueChange={(v) => setParams({ tier_to: v })} data-testid="tier-to">
            {tos.map((d) => (
              <SelectItem key={d} value={d}>
                {formatDate(d, lang)}
              </SelectItem>
            ))}
          </Select>
          <ExportButton
            filename={`tier-migration-${from}-${to}`}
            rows={(migration.resultSet?.rawData() ?? []) as Record<string, unknown>[]}
            columns={['tier_migration.from_tier', 'tier_migration.to_tier', 'tier_migration.members'].map((n) => catalog.member(n)).filter((c) => c !== undefined)}
            minGroupSize={minGroupSize}
          />
        </Flex>
      </Flex>
      <Text className="mt-1">{t('segments.tierMigrationNote')}</Text>
      {(points.error ?? migration.error) && <ErrorCallout error={(points.error ?? migration.error)!} />}
      <table className="mt-4 w-full text-tremor-default" data-testid="tier-migration">
        <thead>
          <tr>
            <th className="text-left text-tremor-content">{t('segments.fromTo')}</th>
            {TIERS.map((tt) => (
              <th key={tt} className="text-right text-tremor-content">
                {valueLabel(catalog.member('tier_migration.to_tier'), tt, lang)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {TIERS.map((f) => (
            <tr key={f}>
              <td className="py-1 font-medium">{valueLabel(catalog.member('tier_migration.from_tier'), f, lang)}</td>
              {TIERS.map((tt) => {
                const r = cell(f, tt);
                const v = r?.['tier_migration.members'];
                return (
                  <td
                    key={tt}
                    data-testid={`migration-${f}-${tt}`}
                    data-value={v ?? ''}
                    className={`py-1 text-right ${f === tt ? 'text-tremor-content' : TIERS.indexOf(tt) > TIERS.indexOf(f) ? 'text-emerald-700' : 'text-rose-700'}`}
                  >
                    {!r ? '–' : v === null && minGroupSize ? t('state.suppressed', { n: minGroupSize }) : formatValue(v === null || v === undefined ? null : Number(v), 'number', lang)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
