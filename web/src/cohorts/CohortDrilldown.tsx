import { Card, Flex, Grid, Title } from '@tremor/react';
import { ErrorCallout } from '../ui/ErrorCallout';
import { ExportButton } from '../ui/ExportButton';
import { formatMonth } from '../ui/format';
import { useT } from '../ui/LangContext';
import { PagedTable } from '../ui/PagedTable';
import { DRILL_PAGE_SIZE, type CohortCell, type CohortsState } from './useCohorts';

/** The picked cell's members, a page at a time; a note in their place for roles that do not see members. */
export function CohortDrilldown({ selected, listsMembers, drill }: { selected: CohortCell } & Pick<CohortsState, 'listsMembers' | 'drill'>) {
  const { t, lang } = useT();
  // Member numbers open Customer 360 (the list is shown only to the roles that have it).
  const customerLink = (c: { name: string }, v: unknown) => (c.name === 'cohorts.customer_id' && v !== null ? `/customer?${new URLSearchParams({ id: String(v), lang })}` : undefined);
  return (
    <Card data-testid="cohort-drilldown">
      <Flex>
        <Title>{t('cohorts.drill', { cohort: formatMonth(selected.cohort, lang), k: selected.offset })}</Title>
        {listsMembers && <ExportButton filename="cohort-customers" rows={drill.rows} columns={drill.columns} />}
      </Flex>
      {!listsMembers ? (
        <p className="mt-4 text-tremor-default text-tremor-content" data-testid="drill-members-note">
          {t('cohorts.membersNote')}
        </p>
      ) : drill.error ? (
        <ErrorCallout error={drill.error} />
      ) : (
        <Grid className="mt-4">
          <PagedTable rows={drill.rows} columns={drill.columns} total={drill.total} page={drill.page} pageSize={DRILL_PAGE_SIZE} onPage={drill.setPage} testId="drill-table" href={customerLink} />
        </Grid>
      )}
    </Card>
  );
}
