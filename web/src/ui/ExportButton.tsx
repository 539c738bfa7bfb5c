import { Button } from '@tremor/react';
import { useSessionContext } from '../data/SessionContext';
import { downloadCsv } from './csv';
import { useCurrency } from './currency';
import { exportTable, type ExportColumn } from './exportColumns';
import { useT } from './LangContext';

/**
 * Exports exactly the rows a chart shows, and tells the server's audit trail (what, how many
 * rows). With `columns` (catalog members, or columns the page writes) the file has the model's titles and on-screen values
 * (exportColumns.ts); figures the server hid (`minGroupSize`) are written "< 10". With no rows
 * there is nothing to download: the button is disabled and says why.
 */
export function ExportButton({ filename, rows, columns, minGroupSize = null }: { filename: string; rows: Record<string, unknown>[]; columns?: ExportColumn[]; minGroupSize?: number | null }) {
  const { t, lang } = useT();
  const currency = useCurrency();
  const { token } = useSessionContext();
  const exportRows = () => {
    if (columns) {
      const table = exportTable(rows, columns, { lang, currency, minGroupSize });
      downloadCsv(
        filename,
        table.rows.map((r) => Object.fromEntries(table.header.map((h, i) => [h, r[i]]))),
        table.header,
      );
    } else downloadCsv(filename, rows);
    void token()
      .then((jwt) =>
        fetch('/api/audit/export', { method: 'POST', headers: { Authorization: `Bearer ${jwt}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ filename, rows: rows.length }) }),
      )
      .catch(() => {});
  };
  return (
    <Button size="xs" variant="light" disabled={!rows.length} title={rows.length ? undefined : t('export.empty')} onClick={exportRows} data-testid={`export-${filename}`}>
      {t('export.csv')}
    </Button>
  );
}
