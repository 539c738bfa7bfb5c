import { Card, Flex, Tab, TabGroup, TabList, Title } from '@tremor/react';
import type { Catalog } from '../data/catalog';
import { ErrorCallout } from '../ui/ErrorCallout';
import { ExportButton } from '../ui/ExportButton';
import { useT } from '../ui/LangContext';
import { cohortExport } from './cohortExport';
import { CohortDrilldown } from './CohortDrilldown';
import { CohortHeatmap } from './CohortHeatmap';
import { CohortSlicer } from './CohortSlicer';
import { COHORT_METRICS } from './cohortQueries';
import { useCohorts } from './useCohorts';

export function CohortsPage({ catalog, params, setParams }: { catalog: Catalog; params: URLSearchParams; setParams: (set: Record<string, string | null>) => void }) {
  const { t, lang } = useT();
  const cohorts = useCohorts(catalog, params, setParams);
  const { metric, matrix, shownCells, cells, selected } = cohorts;

  return (
    <div className="space-y-6">
      <Flex justifyContent="between" alignItems="end" className="flex-wrap gap-4">
        <Title>{t('cohorts.title')}</Title>
        <TabGroup index={COHORT_METRICS.indexOf(metric)} onIndexChange={(i) => cohorts.pickMetric(COHORT_METRICS[i])}>
          <TabList variant="solid">
            {COHORT_METRICS.map((m) => (
              <Tab key={m} data-testid={`metric-${m}`}>
                {t(`cohorts.${m}`)}
              </Tab>
            ))}
          </TabList>
        </TabGroup>
      </Flex>

      <CohortSlicer catalog={catalog} cohorts={cohorts} />

      <Card>
        <Flex>
          <Title>{t(`cohorts.${metric}`)}</Title>
          <ExportButton filename={`cohorts-${metric}`} {...cohortExport(cells, metric, t, lang)} />
        </Flex>
        {matrix.error ? (
          <ErrorCallout error={matrix.error} />
        ) : !shownCells ? (
          <div className="mt-4 h-64 animate-pulse rounded bg-tremor-background-subtle" data-testid="cohort-skeleton" aria-busy="true" />
        ) : cells.length ? (
          <div className="mt-4">
            <CohortHeatmap cells={cells} metric={metric} selected={selected} onSelect={cohorts.pickCell} partial={cohorts.partial} />
          </div>
        ) : (
          <p className="mt-4 text-tremor-default text-tremor-content" data-testid="cohort-no-data">
            {t('cohorts.noData')}
          </p>
        )}
      </Card>

      {selected && <CohortDrilldown selected={selected} listsMembers={cohorts.listsMembers} drill={cohorts.drill} />}
    </div>
  );
}
