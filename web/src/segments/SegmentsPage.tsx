import { Card, Flex, Grid, MultiSelect, MultiSelectItem, Select, SelectItem, Title } from '@tremor/react';
import type { Catalog } from '../data/catalog';
import { ErrorCallout } from '../ui/ErrorCallout';
import { useT } from '../ui/LangContext';
import { memberLabel, valueLabel } from '../ui/measureLabel';
import { EmptyState } from '../ui/QueryState';
import { CUSTOMER_360_MEMBER } from '../customer/customerQueries';
import { AtRiskCard } from './AtRiskCard';
import { AtRiskList } from './AtRiskList';
import { AT_RISK } from './atRiskQueries';
import { SegmentBuilder } from './SegmentBuilder';
import { SegmentCard } from './SegmentCard';
import { SegmentMeasureCard } from './SegmentMeasureCard';
import { TierMigrationCard } from './TierMigrationCard';
import { useSegments } from './useSegments';

export function SegmentsPage({ catalog, params, setParams }: { catalog: Catalog; params: URLSearchParams; setParams: (set: Record<string, string | null>) => void }) {
  const { t, lang } = useT();
  const segments = useSegments(catalog, params, setParams);
  const { dims, dimension, values, chosen, rows, measures, error, noTiers } = segments;
  return (
    <div className="space-y-6">
      <Flex justifyContent="between" className="flex-wrap gap-4">
        <Title>{t('nav.segments')}</Title>
        <Flex className="w-auto gap-3">
          <Select placeholder={t('state.choose')} className="w-48" value={dimension} onValueChange={segments.pickDimension}>
            {dims.map((d) => (
              <SelectItem key={d.name} value={d.name}>
                {memberLabel(d, lang)}
              </SelectItem>
            ))}
          </Select>
          <MultiSelect placeholder={t('state.choose')} className="w-80" value={chosen} onValueChange={segments.pickValues}>
            {values.map((v) => (
              <MultiSelectItem key={v} value={v}>
                {valueLabel(catalog.member(dimension), v, lang)}
              </MultiSelectItem>
            ))}
          </MultiSelect>
        </Flex>
      </Flex>
      <SegmentBuilder dimensions={dims} values={segments.conditionValues} onChange={segments.setCondition} />
      {error && <ErrorCallout error={error} />}
      <Grid numItemsMd={2} numItemsLg={Math.max(2, rows.length)} className="gap-4" data-testid="segment-cards">
        {rows.map((r) => (
          <SegmentCard key={r.key} row={r} segments={segments} />
        ))}
      </Grid>
      <Grid numItemsLg={2} className="gap-4">
        {measures
          .filter((m) => m.format !== 'number' || m.name.endsWith('frequency'))
          .slice(0, 4)
          .map((m) => (
            <SegmentMeasureCard key={m.name} catalog={catalog} measure={m} segments={segments} />
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
