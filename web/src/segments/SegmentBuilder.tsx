import { Card, Flex, Select, SelectItem, Text } from '@tremor/react';
import type { CatalogMember } from '../data/catalog';
import { useCubeQuery } from '../data/useCubeQuery';
import { useT } from '../ui/LangContext';
import { memberLabel, valueLabel } from '../ui/measureLabel';
import { segmentValuesQuery } from './segmentQueries';

function ConditionSelect({ dimension, value, onChange }: { dimension: CatalogMember; value: string; onChange: (value: string | null) => void }) {
  const { t, lang } = useT();
  const options = useCubeQuery(segmentValuesQuery(dimension.name));
  const values = ((options.resultSet?.tablePivot() ?? []) as Record<string, string>[]).map((r) => r[dimension.name]).filter(Boolean);
  return (
    <div className="w-44" data-testid={`build-${dimension.role}`}>
      <Select value={value} onValueChange={(v) => onChange(v || null)} placeholder={memberLabel(dimension, lang)}>
        {[
          <SelectItem key="" value="">{`${memberLabel(dimension, lang)}: ${t('cohorts.all')}`}</SelectItem>,
          ...values.map((v) => (
            <SelectItem key={v} value={v}>
              {valueLabel(dimension, v, lang)}
            </SelectItem>
          )),
        ]}
      </Select>
    </div>
  );
}

/**
 * A segment built from filters: one value per attribute, all of which must hold (for example
 * Kanto x gold x 40s). It joins the comparison as one more card.
 */
export function SegmentBuilder({ dimensions, values, onChange }: { dimensions: CatalogMember[]; values: Record<string, string>; onChange: (role: string, value: string | null) => void }) {
  const { t } = useT();
  return (
    <Card data-testid="segment-builder">
      <Flex className="flex-wrap gap-3" justifyContent="start">
        <Text className="font-medium">{t('segments.build')}</Text>
        {dimensions.map((d) => (
          <ConditionSelect key={d.name} dimension={d} value={values[d.role!] ?? ''} onChange={(v) => onChange(d.role!, v)} />
        ))}
      </Flex>
    </Card>
  );
}
