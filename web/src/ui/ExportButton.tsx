import { Button } from '@tremor/react';
import type { ExportColumn, ExportOptions } from './exportColumns';
import { useT } from './LangContext';
import { useCsvExport } from './useCsvExport';

/**
 * Exports exactly the rows a chart or table shows, in `columns` (catalog members, or columns the
 * page writes) as the page reads them (useCsvExport). With no rows there is nothing to download:
 * the button is disabled and says why.
 */
export function ExportButton({
  filename,
  rows,
  columns,
  minGroupSize = null,
  hidden,
}: { filename: string; rows: Record<string, unknown>[]; columns: ExportColumn[] } & Partial<Pick<ExportOptions, 'minGroupSize' | 'hidden'>>) {
  const { t } = useT();
  const exportCsv = useCsvExport();
  return (
    <Button
      size="xs"
      variant="light"
      disabled={!rows.length}
      title={rows.length ? undefined : t('export.empty')}
      onClick={() => exportCsv(filename, rows, columns, { minGroupSize, hidden })}
      data-testid={`export-${filename}`}
    >
      {t('export.csv')}
    </Button>
  );
}
