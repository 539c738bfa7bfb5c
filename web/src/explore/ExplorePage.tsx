import { Card, Flex, Grid, MultiSelect, MultiSelectItem, Select, SelectItem, Tab, TabGroup, TabList, Text, TextInput, Title } from '@tremor/react';
import type { Catalog } from '../data/catalog';
import { useT } from '../ui/LangContext';
import { memberLabel } from '../ui/measureLabel';
import { EmptyState } from '../ui/QueryState';
import { CHARTS, explorePlan, GRANULARITIES, OPERATORS, readExploreState, writeExploreState, type ExploreState } from './exploreQuery';
import { ExploreNote } from './ExploreNote';
import { ExploreResult } from './ExploreResult';

/** Any measures and dimensions /meta lists: a measure added to a model file appears here after the model reloads. */
export function ExplorePage({ catalog, params, setParams }: { catalog: Catalog; params: URLSearchParams; setParams: (set: Record<string, string | null>) => void }) {
  const { t, lang } = useT();
  const state = readExploreState(params);
  const label = (name: string) => {
    const m = catalog.member(name);
    return m ? memberLabel(m, lang) : name;
  };
  const view = catalog.view(state.view) ?? catalog.views[0];
  const set = (change: Partial<ExploreState>) => setParams(writeExploreState(change));
  const plan = explorePlan({ ...state, view: view.name }, view);
  const timeDimension = plan?.time?.dimension ?? view.timeDimension;

  return (
    <div className="space-y-6">
      <Title>{t('nav.explore')}</Title>
      <Card>
        <Grid numItemsMd={2} numItemsLg={3} className="gap-4">
          <div>
            <Text>{t('explore.view')}</Text>
            <Select placeholder={t('state.choose')} value={view.name} onValueChange={(v) => set({ view: v, measures: [], dimensions: [], filter: null, granularity: null })} data-testid="explore-view">
              {catalog.views.map((v) => (
                <SelectItem key={v.name} value={v.name}>
                  {memberLabel(v, lang)}
                </SelectItem>
              ))}
            </Select>
          </div>
          <div data-testid="explore-measures">
            <Text>{t('explore.measures')}</Text>
            <MultiSelect placeholder={t('state.choose')} value={state.measures} onValueChange={(v) => set({ measures: v })}>
              {view.measures.map((m) => (
                <MultiSelectItem key={m.name} value={m.name}>
                  {memberLabel(m, lang)}
                </MultiSelectItem>
              ))}
            </MultiSelect>
          </div>
          <div>
            <Text>{t('explore.dimensions')}</Text>
            <MultiSelect placeholder={t('state.choose')} value={state.dimensions} onValueChange={(v) => set({ dimensions: v })}>
              {view.dimensions
                .filter((d) => d.type !== 'time')
                .map((d) => (
                  <MultiSelectItem key={d.name} value={d.name}>
                    {memberLabel(d, lang)}
                  </MultiSelectItem>
                ))}
            </MultiSelect>
          </div>
          <div>
            <Text>{t('explore.time', { name: timeDimension ? label(timeDimension) : '–' })}</Text>
            <Select
              placeholder={t('state.choose')}
              value={plan?.time?.granularity ?? state.granularity ?? ''}
              onValueChange={(v) => set({ granularity: v || null })}
              disabled={!timeDimension}
              data-testid="explore-granularity"
            >
              {[
                <SelectItem key="" value="">
                  –
                </SelectItem>,
                ...GRANULARITIES.map((g) => (
                  <SelectItem key={g} value={g}>
                    {t(`granularity.${g}`)}
                  </SelectItem>
                )),
              ]}
            </Select>
          </div>
          <div className="lg:col-span-2">
            <Text>{t('explore.filter')}</Text>
            <Flex className="gap-2">
              <Select
                placeholder={t('state.choose')}
                value={state.filter?.member ?? ''}
                onValueChange={(v) => set({ filter: v ? { member: v, operator: state.filter?.operator ?? 'equals', value: state.filter?.value ?? '' } : null })}
              >
                {[
                  <SelectItem key="" value="">
                    –
                  </SelectItem>,
                  ...view.dimensions
                    .filter((d) => d.filterable)
                    .map((d) => (
                      <SelectItem key={d.name} value={d.name}>
                        {memberLabel(d, lang)}
                      </SelectItem>
                    )),
                ]}
              </Select>
              <Select placeholder={t('state.choose')} value={state.filter?.operator ?? 'equals'} onValueChange={(v) => state.filter && set({ filter: { ...state.filter, operator: v } })}>
                {OPERATORS.map((o) => (
                  <SelectItem key={o} value={o}>
                    {t(`operator.${o}`)}
                  </SelectItem>
                ))}
              </Select>
              <TextInput value={state.filter?.value ?? ''} onValueChange={(v) => state.filter && set({ filter: { ...state.filter, value: v } })} />
            </Flex>
          </div>
        </Grid>
      </Card>
      <Card>
        <TabGroup index={CHARTS.indexOf(state.chart)} onIndexChange={(i) => set({ chart: CHARTS[i] })}>
          <TabList variant="solid">
            {CHARTS.map((c) => (
              <Tab key={c}>{t(`explore.chart.${c}`)}</Tab>
            ))}
          </TabList>
        </TabGroup>
        {plan?.snapshotMonthly && (
          <ExploreNote testId="explore-snapshot-note">
            {t('explore.snapshotMonthly', { names: new Intl.ListFormat(lang).format(plan.query.measures!.filter((m) => catalog.member(m)?.snapshot).map(label)) })}
          </ExploreNote>
        )}
        {plan ? <ExploreResult key={JSON.stringify(plan.query)} catalog={catalog} plan={plan} chart={state.chart} label={label} /> : <EmptyState reason="empty.explorePick" />}
      </Card>
    </div>
  );
}
