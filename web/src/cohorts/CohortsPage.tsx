import { Callout, Card, Flex, Grid, ProgressBar, Select, SelectItem, Tab, TabGroup, TabList, Text, Title } from '@tremor/react';
import { useMemo, useState } from 'react';
import type { Catalog } from '../data/catalog';
import { suppressedBelow } from '../data/suppression';
import { useDataCoverage } from '../data/dataCoverage';
import { useCubeQuery } from '../data/useCubeQuery';
import { ErrorCallout } from '../ui/ErrorCallout';
import { ExportButton } from '../ui/ExportButton';
import { formatMonth } from '../ui/format';
import { useT } from '../ui/LangContext';
import { memberLabel, valueLabel } from '../ui/measureLabel';
import { PagedTable } from '../ui/PagedTable';
import { CUSTOMER_360_MEMBER } from '../customer/customerQueries';
import { CohortHeatmap } from './CohortHeatmap';
import { cellCustomersQuery, cellsFromApi, cellsToShow, cohortMatrixQuery, COHORT_METRICS, hiddenBelow, type CohortMetric, type MatrixCell } from './cohortQueries';
import { SLICE_DIMENSIONS, type Slice } from './slicing/cohortMatrixSql';
import { useCohortSlice } from './useCohortSlice';

const PAGE_SIZE = 20;
const DRILL_COLUMNS = ['cohorts.name', 'cohorts.email', 'cohorts.tier', 'cohorts.region', 'cohorts.order_count', 'cohorts.lifetime_revenue'];

export function CohortsPage({ catalog, params, setParams }: { catalog: Catalog; params: URLSearchParams; setParams: (set: Record<string, string | null>) => void }) {
  const { t, lang } = useT();
  const dimLabel = (d: string) => {
    const m = catalog.member(`cohorts.${d}`);
    return m ? memberLabel(m, lang) : d;
  };
  const metric = (COHORT_METRICS.includes(params.get('metric') as CohortMetric) ? params.get('metric') : 'retention') as CohortMetric;
  const slice: Slice = Object.fromEntries(SLICE_DIMENSIONS.map((d) => [d, params.get(d) ?? undefined]).filter(([, v]) => v));
  const selected = params.get('cell') ? { cohort: params.get('cell')!.split('|')[0], offset: Number(params.get('cell')!.split('|')[1]) } : null;
  const [page, setPage] = useState(0);
  // A tenant without tier records (an import) has every member at "no tier": no tier slice.
  const noTiers = useDataCoverage(!!catalog.view('data_coverage'))?.tiers === false;
  const sliceDimensions = SLICE_DIMENSIONS.filter((d) => !(noTiers && d === 'tier'));

  const matrix = useCubeQuery(useMemo(cohortMatrixQuery, []));
  const sliced = useCohortSlice(slice);
  const apiCells = matrix.resultSet ? cellsFromApi(matrix.resultSet.tablePivot() as Record<string, unknown>[], suppressedBelow(matrix.resultSet)) : null;
  const shownCells = cellsToShow(Object.values(slice).some(Boolean), sliced.cells, apiCells);
  const cells: MatrixCell[] = shownCells ?? [];

  // Only the columns the role may see are in the catalog: personal data never is for others.
  const columns = ['cohorts.customer_id', ...DRILL_COLUMNS.filter((n) => !(noTiers && n === 'cohorts.tier'))].map((n) => catalog.member(n)).filter((c) => c !== undefined);
  // A cell's members are a list filtered on what they did (active in that month): the server
  // gives one only to roles that see personal data, the roles Customer 360 is for (its member
  // is in their catalog). Other roles get a note in place of the list, and no request for it.
  const listsMembers = !!catalog.member(CUSTOMER_360_MEMBER);
  const drill = useCubeQuery(
    selected && listsMembers
      ? cellCustomersQuery(
          selected.cohort,
          selected.offset,
          slice,
          columns.slice(1).map((c) => c.name),
          page,
          PAGE_SIZE,
        )
      : null,
  );
  const drillRows = (drill.resultSet?.tablePivot() ?? []) as Record<string, unknown>[];
  // Member numbers open Customer 360 (the list is shown only to the roles that have it).
  const customerLink = (c: { name: string }, v: unknown) => (c.name === 'cohorts.customer_id' && v !== null ? `/customer?${new URLSearchParams({ id: String(v), lang })}` : undefined);
  const drillTotal = (drill.resultSet as any)?.loadResponse?.results?.[0]?.total ?? null;

  return (
    <div className="space-y-6">
      <Flex justifyContent="between" alignItems="end" className="flex-wrap gap-4">
        <Title>{t('cohorts.title')}</Title>
        <TabGroup index={COHORT_METRICS.indexOf(metric)} onIndexChange={(i) => setParams({ metric: COHORT_METRICS[i] })}>
          <TabList variant="solid">
            {COHORT_METRICS.map((m) => (
              <Tab key={m} data-testid={`metric-${m}`}>
                {t(`cohorts.${m}`)}
              </Tab>
            ))}
          </TabList>
        </TabGroup>
      </Flex>

      <Card>
        <Flex className="flex-wrap gap-3" justifyContent="start">
          <Text className="font-medium">{t('cohorts.slice')}</Text>
          {sliceDimensions.map((d) => (
            <div key={d} className="w-44" data-testid={`slice-${d}`}>
              <Select
                value={slice[d] ?? ''}
                onValueChange={(v) => {
                  setPage(0);
                  setParams({ [d]: v || null, cell: null });
                }}
                placeholder={dimLabel(d)}
                disabled={!sliced.ready}
              >
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

      <Card>
        <Flex>
          <Title>{t(`cohorts.${metric}`)}</Title>
          <ExportButton
            filename={`cohorts-${metric}`}
            rows={cells.map((c) => {
              const shown = (key: CohortMetric | 'members') => (hiddenBelow(c, key) ? `< ${hiddenBelow(c, key)}` : c[key]);
              return { cohort_month: c.cohort_month, month_offset: c.month_offset, members: shown('members'), [metric]: shown(metric) };
            })}
          />
        </Flex>
        {matrix.error ? (
          <ErrorCallout error={matrix.error} />
        ) : !shownCells ? (
          <div className="mt-4 h-64 animate-pulse rounded bg-tremor-background-subtle" data-testid="cohort-skeleton" aria-busy="true" />
        ) : cells.length ? (
          <div className="mt-4">
            <CohortHeatmap
              cells={cells}
              metric={metric}
              selected={selected}
              onSelect={(c) => {
                setPage(0);
                setParams({ cell: `${c.cohort_month}|${c.month_offset}` });
              }}
            />
          </div>
        ) : (
          <p className="mt-4 text-tremor-default text-tremor-content" data-testid="cohort-no-data">
            {t('cohorts.noData')}
          </p>
        )}
      </Card>

      {selected && (
        <Card data-testid="cohort-drilldown">
          <Flex>
            <Title>{t('cohorts.drill', { cohort: formatMonth(selected.cohort, lang), k: selected.offset })}</Title>
            {listsMembers && <ExportButton filename="cohort-customers" rows={drillRows} />}
          </Flex>
          {!listsMembers ? (
            <p className="mt-4 text-tremor-default text-tremor-content" data-testid="drill-members-note">
              {t('cohorts.membersNote')}
            </p>
          ) : drill.error ? (
            <ErrorCallout error={drill.error} />
          ) : (
            <Grid className="mt-4">
              <PagedTable rows={drillRows} columns={columns} total={drillTotal} page={page} pageSize={PAGE_SIZE} onPage={setPage} testId="drill-table" href={customerLink} />
            </Grid>
          )}
        </Card>
      )}
    </div>
  );
}
