import { BarList, Card, Flex, Text, Title } from '@tremor/react';
import type { ReadableError } from '../data/cubeApi';
import { ErrorCallout } from '../ui/ErrorCallout';
import { ExportButton } from '../ui/ExportButton';
import type { ExportColumn } from '../ui/exportColumns';
import { useCurrency } from '../ui/currency';
import { formatValue, type ValueFormat } from '../ui/format';
import { useT } from '../ui/LangContext';

interface BreakdownProps {
  title: string;
  filename: string;
  items: { name: string; value: number }[];
  /** The CSV's columns for `name` and `value` (the dimension's and the measure's titles). */
  exportColumns: ExportColumn[];
  format: ValueFormat;
  color: string;
  isLoading: boolean;
  error: ReadableError | null;
  testId?: string;
}

/** A measure split by one dimension as a BarList, with loading, empty and error states. */
export function BoardBreakdown({ title, filename, items, exportColumns, format, color, isLoading, error, testId }: BreakdownProps) {
  const { t, lang } = useT();
  const currency = useCurrency();
  return (
    <Card data-testid={testId}>
      <Flex>
        <Title>{title}</Title>
        {items.length > 0 && <ExportButton filename={filename} rows={items} columns={exportColumns} />}
      </Flex>
      {error ? (
        <ErrorCallout error={error} />
      ) : items.length > 0 ? (
        <BarList className="mt-4" data={items} valueFormatter={(v: number) => formatValue(v, format, lang, currency)} color={color} />
      ) : isLoading ? (
        <div className="mt-4 space-y-2" aria-busy="true">
          {[80, 55, 30].map((w) => (
            <div key={w} className="h-8 animate-pulse rounded-tremor-small bg-tremor-background-subtle" style={{ width: `${w}%` }} />
          ))}
        </div>
      ) : (
        <Text className="mt-4">{t('state.empty')}</Text>
      )}
    </Card>
  );
}
