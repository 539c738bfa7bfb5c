import { Callout, Card, Flex, ProgressBar, Select, SelectItem, Text } from '@tremor/react';
import type { Catalog } from '../data/catalog';
import { useT } from '../ui/LangContext';
import { memberLabel, valueLabel } from '../ui/measureLabel';
import type { CohortsState } from './useCohorts';

/** The slice pickers, with the extract's download progress until DuckDB-WASM can slice. */
export function CohortSlicer({ catalog, cohorts }: { catalog: Catalog; cohorts: CohortsState }) {
  const { t, lang } = useT();
  const { slice, sliced, sliceDimensions, noTiers, pickSlice } = cohorts;
  const dimLabel = (d: string) => {
    const m = catalog.member(`cohorts.${d}`);
    return m ? memberLabel(m, lang) : d;
  };
  return (
    <Card>
      <Flex className="flex-wrap gap-3" justifyContent="start">
        <Text className="font-medium">{t('cohorts.slice')}</Text>
        {sliceDimensions.map((d) => (
          <div key={d} className="w-44" data-testid={`slice-${d}`}>
            <Select value={slice[d] ?? ''} onValueChange={(v) => pickSlice(d, v)} placeholder={dimLabel(d)} disabled={!sliced.ready}>
              {[
                <SelectItem key="" value="">{`${dimLabel(d)}: ${t('cohorts.all')}`}</SelectItem>,
                ...(sliced.values[d] ?? []).map((v) => (
                  <SelectItem key={v} value={v}>
                    {valueLabel(catalog.member(`cohorts.${d}`), v, lang)}
                  </SelectItem>
                )),
              ]}
            </Select>
          </div>
        ))}
      </Flex>
      {noTiers && (
        <p className="mt-2 text-tremor-label text-tremor-content" data-testid="no-tiers">
          {t('empty.noTiers')}
        </p>
      )}
      {!sliced.ready && !sliced.error && (
        <div className="mt-3" data-testid="extract-progress">
          <p className="text-tremor-label text-tremor-content">
            {t('cohorts.loadingExtract')} {Math.round(sliced.progress * 100)} %
          </p>
          <ProgressBar value={sliced.progress * 100} className="mt-1" />
        </div>
      )}
      {sliced.error && <Callout className="mt-3" color="rose" title={sliced.error} />}
      {sliced.cells && (
        <p className="mt-2 text-tremor-label text-tremor-content" data-testid="slice-time" data-ms={sliced.millis?.toFixed(1)}>
          {t('cohorts.sliced')} · {sliced.millis?.toFixed(0)} ms
        </p>
      )}
    </Card>
  );
}
