import { Button, Card, Flex, Title } from '@tremor/react';
import { useState } from 'react';
import type { Catalog } from '../data/catalog';
import { rowTotal } from '../data/rowTotal';
import { suppressedBelow } from '../data/suppression';
import { useSessionContext } from '../data/SessionContext';
import { useCubeQuery } from '../data/useCubeQuery';
import { useT } from '../ui/LangContext';
import { PagedTable } from '../ui/PagedTable';
import { QueryLoad } from '../ui/QueryState';
import { useCsvExport } from '../ui/useCsvExport';
import { AT_RISK_LIST_COLUMNS, atRiskListQuery } from './atRiskQueries';

const PAGE_SIZE = 20;
/** The export holds every at-risk member: the role's row ceiling for lists is 100,000. */
const EXPORT_ROWS = 100_000;

/**
 * The at-risk members one by one, highest predicted CLV first, with a CSV of all of them, for
 * roles that see personal data (the page offers it where the catalog has members' names; like
 * Customer 360, it is one person per row). Member numbers open Customer 360.
 */
export function AtRiskList({ catalog }: { catalog: Catalog }) {
  const { t, lang } = useT();
  const { cubeApi } = useSessionContext();
  const [page, setPage] = useState(0);
  const [exporting, setExporting] = useState(false);
  const exportCsv = useCsvExport();
  const columns = AT_RISK_LIST_COLUMNS.map((c) => catalog.member(c)).filter((c) => c !== undefined);
  const names = columns.map((c) => c.name);
  const list = useCubeQuery(atRiskListQuery(names, page, PAGE_SIZE));
  const rows = (list.resultSet?.tablePivot() ?? []) as Record<string, unknown>[];
  const total = rowTotal(list.resultSet);
  const link = (c: { name: string }, v: unknown) => (c.name === 'customer_segments.customer_id' && v !== null ? `/customer?${new URLSearchParams({ id: String(v), lang })}` : undefined);

  const exportAll = async () => {
    setExporting(true);
    try {
      const all = await cubeApi.load(atRiskListQuery(names, 0, EXPORT_ROWS));
      exportCsv('customers-at-risk-members', all.rawData() as Record<string, unknown>[], columns, { minGroupSize: suppressedBelow(all) });
    } finally {
      setExporting(false);
    }
  };

  return (
    <Card data-testid="at-risk-list">
      <Flex className="gap-4">
        <Title>{t('atRisk.list')}</Title>
        <Button size="xs" variant="secondary" loading={exporting} disabled={!total} title={total ? undefined : t('export.empty')} onClick={exportAll} data-testid="at-risk-export">
          {t('atRisk.export')}
        </Button>
      </Flex>
      <QueryLoad state={list} empty={rows.length === 0} emptyReason="atRisk.none" skeleton="h-64">
        <PagedTable rows={rows} columns={columns} total={total} page={page} pageSize={PAGE_SIZE} onPage={setPage} testId="at-risk-table" href={link} />
      </QueryLoad>
    </Card>
  );
}
