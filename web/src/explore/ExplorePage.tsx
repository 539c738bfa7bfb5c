import { BarChart, Card, Flex, Grid, LineChart, MultiSelect, MultiSelectItem, Select, SelectItem, Tab, TabGroup, TabList, Text, TextInput, Title } from '@tremor/react';
import { useMemo } from 'react';
import type { Catalog } from '../data/catalog';
import { useCubeQuery } from '../data/useCubeQuery';
import { ErrorCallout } from '../ui/ErrorCallout';
import { ExportButton } from '../ui/ExportButton';
import { formatTime, formatValue } from '../ui/format';
import { useT } from '../ui/LangContext';
import { PagedTable } from '../ui/PagedTable';
import { exploreQuery, GRANULARITIES, OPERATORS, readExploreState, writeExploreState, type ExploreState } from './exploreQuery';

const CHARTS: ExploreState['chart'][] = ['table', 'bar', 'line'];

/** Any measures and dimensions /meta lists: a measure added to a model file appears here after the model reloads. */
export function ExplorePage({ catalog, params, setParams }: { catalog: Catalog; params: URLSearchParams; setParams: (set: Record<string, string | null>) => void }) {
  const { t, lang } = useT();
  const state = readExploreState(params);
  const view = catalog.view(state.view) ?? catalog.views[0];
  const set = (change: Partial<ExploreState>) => setParams(writeExploreState(change));
  const query = useMemo(() => exploreQuery({ ...state, view: view.name }, view.timeDimension), [params.toString(), view]);
  const result = useCubeQuery(query);
  const rows = (result.resultSet?.tablePivot() ?? []) as Record<string, unknown>[];
  const timeKey = state.granularity && view.timeDimension ? `${view.timeDimension}.${state.granularity}` : null;
  const columns = [
    ...(timeKey ? [{ ...catalog.member(view.timeDimension!)!, name: timeKey }] : []),
    ...state.dimensions.map((d) => catalog.member(d)).filter((m) => m !== undefined),
    ...state.measures.map((m) => catalog.member(m)).filter((m) => m !== undefined),
  ];
  const index = timeKey ?? state.dimensions[0];
  const chartRows = rows.map((r) => ({ ...r, ...(timeKey ? { [timeKey]: formatTime(String(r[timeKey]), state.granularity ?? 'day', lang) } : {}), ...Object.fromEntries(state.measures.map((m) => [catalog.member(m)?.shortTitle ?? m, Number(r[m])])) }));
  const categories = state.measures.map((m) => catalog.member(m)?.shortTitle ?? m);
  const format = catalog.member(state.measures[0] ?? '')?.format ?? 'number';

  return (
    <div className="space-y-6">
      <Title>{t('nav.explore')}</Title>
      <Card>
        <Grid numItemsMd={2} numItemsLg={3} className="gap-4">
          <div>
            <Text>View</Text>
            <Select value={view.name} onValueChange={(v) => set({ view: v, measures: [], dimensions: [], filter: null, granularity: null })} data-testid="explore-view">
              {catalog.views.map((v) => <SelectItem key={v.name} value={v.name}>{v.title}</SelectItem>)}
            </Select>
          </div>
          <div data-testid="explore-measures">
            <Text>Measures</Text>
            <MultiSelect value={state.measures} onValueChange={(v) => set({ measures: v })}>
              {view.measures.map((m) => <MultiSelectItem key={m.name} value={m.name}>{m.shortTitle}</MultiSelectItem>)}
            </MultiSelect>
          </div>
          <div>
            <Text>Dimensions</Text>
            <MultiSelect value={state.dimensions} onValueChange={(v) => set({ dimensions: v })}>
              {view.dimensions.filter((d) => d.type !== 'time').map((d) => <MultiSelectItem key={d.name} value={d.name}>{d.shortTitle}</MultiSelectItem>)}
            </MultiSelect>
          </div>
          <div>
            <Text>Time ({view.timeDimension ? catalog.member(view.timeDimension)?.shortTitle : '–'})</Text>
            <Select value={state.granularity ?? ''} onValueChange={(v) => set({ granularity: v || null })} disabled={!view.timeDimension}>
              {[<SelectItem key="" value="">–</SelectItem>, ...GRANULARITIES.map((g) => <SelectItem key={g} value={g}>{g}</SelectItem>)]}
            </Select>
          </div>
          <div className="lg:col-span-2">
            <Text>Filter</Text>
            <Flex className="gap-2">
              <Select value={state.filter?.member ?? ''} onValueChange={(v) => set({ filter: v ? { member: v, operator: state.filter?.operator ?? 'equals', value: state.filter?.value ?? '' } : null })}>
                {[<SelectItem key="" value="">–</SelectItem>, ...view.dimensions.map((d) => <SelectItem key={d.name} value={d.name}>{d.shortTitle}</SelectItem>)]}
              </Select>
              <Select value={state.filter?.operator ?? 'equals'} onValueChange={(v) => state.filter && set({ filter: { ...state.filter, operator: v } })}>
                {OPERATORS.map((o) => <SelectItem key={o} value={o}>{o}</SelectItem>)}
              </Select>
              <TextInput value={state.filter?.value ?? ''} onValueChange={(v) => state.filter && set({ filter: { ...state.filter, value: v } })} />
            </Flex>
          </div>
        </Grid>
      </Card>
      <Card>
        <Flex>
          <TabGroup index={CHARTS.indexOf(state.chart)} onIndexChange={(i) => set({ chart: CHARTS[i] })}>
            <TabList variant="solid">{CHARTS.map((c) => <Tab key={c}>{c}</Tab>)}</TabList>
          </TabGroup>
          <ExportButton filename="explore" rows={rows} />
        </Flex>
        {result.error && <ErrorCallout error={result.error} />}
        {!query && <Text className="mt-4">{t('state.empty')}</Text>}
        {query && state.chart === 'table' && <div className="mt-4"><PagedTable rows={rows} columns={columns} total={null} page={0} pageSize={rows.length} onPage={() => {}} testId="explore-table" /></div>}
        {query && state.chart === 'bar' && index && <BarChart className="mt-4 h-80" data={chartRows} index={index} categories={categories} colors={['indigo', 'cyan', 'amber', 'emerald']} valueFormatter={(v) => formatValue(v, format, lang)} />}
        {query && state.chart === 'line' && index && <LineChart className="mt-4 h-80" data={chartRows} index={index} categories={categories} colors={['indigo', 'cyan', 'amber', 'emerald']} valueFormatter={(v) => formatValue(v, format, lang)} />}
      </Card>
    </div>
  );
}
