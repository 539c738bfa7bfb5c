import { Button, Flex, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow, Text } from '@tremor/react';
import type { CatalogMember } from '../data/catalog';
import { useCurrency } from './currency';
import { columnFormatter, formatTime } from './format';
import { useT } from './LangContext';
import { memberLabel, valueLabel } from './measureLabel';

/** Rows with columns from the catalog (formatted by meta.format), and paging controls when paged. */
export function PagedTable({
  rows,
  columns,
  total = null,
  page = 0,
  pageSize = rows.length,
  onPage,
  testId,
  href,
  hiddenMeasure,
}: {
  rows: Record<string, unknown>[];
  columns: CatalogMember[];
  /** Paging controls show when `total` and `onPage` are given; without them the rows are one unpaged table. */
  total?: number | null;
  page?: number;
  pageSize?: number;
  onPage?: (page: number) => void;
  testId?: string;
  /** Where a cell links to (a member number opens Customer 360), or undefined for plain text. */
  href?: (column: CatalogMember, value: unknown) => string | undefined;
  /** What a measure the server hid (small-group protection) reads as ("< 10"); without it, '–'. */
  hiddenMeasure?: string;
}) {
  const { t, lang } = useT();
  const currency = useCurrency();
  // Measures and formatted dimensions (money, rates) are formatted, one format per column; identifiers and labels are shown as they are.
  const formats = new Map(
    columns.map((c) => [
      c.name,
      columnFormatter(
        rows.map((r) => (r[c.name] === null || r[c.name] === undefined ? null : Number(r[c.name]))),
        c.format,
        lang,
        currency,
      ),
    ]),
  );
  const cell = (c: CatalogMember, v: unknown) => {
    if (v === null || v === undefined) return (c.kind === 'measure' && hiddenMeasure) || '–';
    if (c.kind === 'measure' || c.format !== 'number') return formats.get(c.name)!(Number(v));
    // Explore names a time column `view.dimension.granularity`; other time columns are days.
    if (c.type === 'time') return formatTime(String(v), c.name.split('.')[2] ?? 'day', lang);
    return valueLabel(c, v, lang);
  };
  return (
    <div data-testid={testId}>
      <Table>
        <TableHead>
          <TableRow>
            {columns.map((c) => (
              <TableHeaderCell key={c.name}>{memberLabel(c, lang)}</TableHeaderCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((r, i) => (
            <TableRow key={i}>
              {columns.map((c) => (
                <TableCell key={c.name}>
                  {href?.(c, r[c.name]) ? (
                    <a className="text-tremor-brand underline" href={href(c, r[c.name])}>
                      {cell(c, r[c.name])}
                    </a>
                  ) : (
                    cell(c, r[c.name])
                  )}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {total !== null && onPage && (
        <Flex className="mt-3">
          <Text>{t('table.page', { from: total ? page * pageSize + 1 : 0, to: Math.min(total, (page + 1) * pageSize), total })}</Text>
          <Flex justifyContent="end" className="gap-2">
            <Button size="xs" variant="secondary" disabled={page === 0} onClick={() => onPage(page - 1)}>
              {t('table.prev')}
            </Button>
            <Button size="xs" variant="secondary" disabled={(page + 1) * pageSize >= total} onClick={() => onPage(page + 1)}>
              {t('table.next')}
            </Button>
          </Flex>
        </Flex>
      )}
    </div>
  );
}
