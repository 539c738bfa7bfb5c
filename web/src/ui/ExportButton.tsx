import { Button } from '@tremor/react';
import { useSessionContext } from '../data/SessionContext';
import { downloadCsv } from './csv';
import { useT } from './LangContext';

/** Exports exactly the rows a chart shows, and tells the server's audit trail (what, how many rows). */
export function ExportButton({ filename, rows }: { filename: string; rows: Record<string, unknown>[] }) {
  const { t } = useT();
  const { token } = useSessionContext();
  const exportRows = () => {
    downloadCsv(filename, rows);
    void token()
      .then((jwt) =>
        fetch('/api/audit/export', { method: 'POST', headers: { Authorization: `Bearer ${jwt}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ filename, rows: rows.length }) }),
      )
      .catch(() => {});
  };
  return (
    <Button size="xs" variant="light" disabled={!rows.length} onClick={exportRows} data-testid={`export-${filename}`}>
      {t('export.csv')}
    </Button>
  );
}
