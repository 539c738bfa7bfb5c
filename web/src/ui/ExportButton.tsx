import { Button } from '@tremor/react';
import { downloadCsv } from './csv';
import { useT } from './LangContext';

/** Exports exactly the rows a chart shows. */
export function ExportButton({ filename, rows }: { filename: string; rows: Record<string, unknown>[] }) {
  const { t } = useT();
  return (
    <Button size="xs" variant="light" disabled={!rows.length} onClick={() => downloadCsv(filename, rows)} data-testid={`export-${filename}`}>
      {t('export.csv')}
    </Button>
  );
}
