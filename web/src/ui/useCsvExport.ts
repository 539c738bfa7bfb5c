import { useSessionContext } from '../data/SessionContext';
import { downloadCsv } from './csv';
import { useCurrency } from './currency';
import { exportTable, type ExportColumn, type ExportOptions } from './exportColumns';
import { useT } from './LangContext';

/**
 * The one way a page's rows become a CSV download: headers are the model's titles in the user's
 * language and values as the page shows them (exportColumns.ts), figures the server hid
 * (`minGroupSize`) are written "< 10", and the server's audit trail is told what and how many rows.
 */
export function useCsvExport() {
  const { lang } = useT();
  const currency = useCurrency();
  const { token } = useSessionContext();
  return (filename: string, rows: Record<string, unknown>[], columns: ExportColumn[], hiding: Pick<ExportOptions, 'minGroupSize' | 'hidden'> = { minGroupSize: null }) => {
    const table = exportTable(rows, columns, { lang, currency, ...hiding });
    downloadCsv(
      filename,
      table.rows.map((r) => Object.fromEntries(table.header.map((h, i) => [h, r[i]]))),
      table.header,
    );
    void token()
      .then((jwt) =>
        fetch('/api/audit/export', { method: 'POST', headers: { Authorization: `Bearer ${jwt}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ filename, rows: rows.length }) }),
      )
      .catch(() => {});
  };
}

export type CsvExport = ReturnType<typeof useCsvExport>;
