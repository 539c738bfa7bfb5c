import { Card, Flex, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow, Text, Title } from '@tremor/react';
import type { CatalogMember } from '../data/catalog';
import type { ReadableError } from '../data/cubeApi';
import { ErrorCallout } from '../ui/ErrorCallout';
import { ExportButton } from '../ui/ExportButton';
import type { ExportColumn } from '../ui/exportColumns';
import { useCurrency } from '../ui/currency';
import { columnFormatter, formatChange, formatMonth } from '../ui/format';
import { useT } from '../ui/LangContext';
import { memberLabel } from '../ui/measureLabel';
import type { MonthlyRow } from './boardSeries';

interface MonthlyTableProps {
  /** The measures shown, as columns (found in the catalog by their KPI key). */
  columns: CatalogMember[];
  rows: MonthlyRow[];
  /** The month the data end inside of (YYYY-MM): its row is marked （途中） / (partial). */
  partialMonth: string | null;
  isLoading: boolean;
  error: ReadableError | null;
}

/** Month by month figures of a few KPIs, newest first. */
export function BoardMonthlyTable({ columns, rows, partialMonth, isLoading, error }: MonthlyTableProps) {
  const { t, lang } = useT();
  const currency = useCurrency();
  // One format per column (¥219,300 above ¥37,730, not ¥21.93万 beside it).
  const formats = new Map(
    columns.map((c) => [
      c.name,
      columnFormatter(
        rows.map((r) => r.values[c.name]),
        c.format,
        lang,
        currency,
      ),
    ]),
  );
  // The export as the table reads: the month as written, each KPI under its title (money in plain yen), its 前年比 as shown.
  const exportRows = rows.map((r) => ({ month: r.month, ...r.values, ...Object.fromEntries(columns.map((c) => [`${c.name}.yoy`, r.yoy[c.name]])) }));
  const exportColumns: ExportColumn[] = [
    { name: 'month', header: t('board.month'), text: (v) => `${formatMonth(`${String(v)}-01`, lang)}${v === partialMonth ? t('board.partialMark') : ''}` },
    ...columns.flatMap((c): ExportColumn[] => [c, { name: `${c.name}.yoy`, header: `${memberLabel(c, lang)} ${t('board.yoyColumn')}`, text: (v) => formatChange(Number(v), lang, c.format) }]),
  ];
  return (
    <Card data-testid="board-monthly">
      <Flex>
        <Title>{t('board.monthly')}</Title>
        {rows.length > 0 && <ExportButton filename="monthly-kpis" rows={exportRows} columns={exportColumns} />}
      </Flex>
      {error ? (
        <ErrorCallout error={error} />
      ) : (
        <Table className="mt-4">
          <TableHead>
            <TableRow>
              <TableHeaderCell>{t('board.month')}</TableHeaderCell>
              {columns.map((c) => [
                <TableHeaderCell key={c.name} className="text-right" title={c.description}>
                  {memberLabel(c, lang)}
                </TableHeaderCell>,
                <TableHeaderCell key={`${c.name}-yoy`} className="text-right">
                  {t('board.yoyColumn')}
                </TableHeaderCell>,
              ])}
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.length === 0 &&
              isLoading &&
              [0, 1, 2, 3].map((i) => (
                <TableRow key={i}>
                  {[0, ...columns.flatMap((_, j) => [2 * j + 1, 2 * j + 2])].map((j) => (
                    <TableCell key={j}>
                      <div className="h-4 animate-pulse rounded bg-tremor-background-subtle" />
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            {rows.length === 0 && !isLoading && (
              <TableRow>
                <TableCell colSpan={2 * columns.length + 1}>
                  <Text>{t('state.empty')}</Text>
                </TableCell>
              </TableRow>
            )}
            {rows.map((r) => (
              <TableRow key={r.month} data-testid={`board-monthly-${r.month}`}>
                <TableCell data-partial={r.month === partialMonth || undefined}>
                  {formatMonth(`${r.month}-01`, lang)}
                  {r.month === partialMonth && <span className="text-amber-700">{t('board.partialMark')}</span>}
                </TableCell>
                {columns.map((c) => [
                  <TableCell key={c.name} className="text-right tabular-nums" data-value={r.values[c.name] ?? ''}>
                    {formats.get(c.name)!(r.values[c.name])}
                  </TableCell>,
                  <TableCell key={`${c.name}-yoy`} className="text-right tabular-nums text-tremor-content" data-testid={`yoy-${c.kpi ?? c.name}`} data-value={r.yoy[c.name] ?? ''}>
                    {formatChange(r.yoy[c.name], lang, c.format)}
                  </TableCell>,
                ])}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Card>
  );
}
