import { useCurrency } from '../ui/currency';
import { formatMonth, formatValue, type ValueFormat } from '../ui/format';
import { useT } from '../ui/LangContext';
import { PartialMonthNote, type PartialMonth } from '../board/PartialMonth';
import { activityMonth, COHORT_FORMAT, hiddenBelow, type CohortMetric, type MatrixCell } from './cohortQueries';

/**
 * Rows = cohort month, columns = months since the first order; darker = higher. Cells counting
 * activity in the month the data end inside of (`partial`) are outlined and noted: that month is
 * not over, so its retention is not yet comparable with the others'.
 */
export function CohortHeatmap({
  cells,
  metric,
  onSelect,
  selected,
  partial,
}: {
  cells: MatrixCell[];
  metric: CohortMetric;
  onSelect: (cell: MatrixCell) => void;
  selected?: { cohort: string; offset: number } | null;
  partial: PartialMonth | null;
}) {
  const { t, lang } = useT();
  const currency = useCurrency();
  const cohorts = [...new Set(cells.map((c) => c.cohort_month))];
  const offsets = Math.max(0, ...cells.map((c) => c.month_offset)) + 1;
  const byKey = new Map(cells.map((c) => [`${c.cohort_month}|${c.month_offset}`, c]));
  // Offset 0 is 100 % by definition; scale colours on the later months so they stay readable.
  const label = (cell: MatrixCell | undefined, key: CohortMetric | 'members', format: ValueFormat) => {
    const below = hiddenBelow(cell, key);
    return below ? t('state.suppressed', { n: below }) : formatValue(cell?.[key] ?? null, format, lang, currency);
  };
  const scale = Math.max(1e-9, ...cells.filter((c) => metric === 'cumulative_ltv' || c.month_offset > 0).map((c) => c[metric] ?? 0));
  return (
    <div className="overflow-x-auto">
      {/* One line per header and cell ("< 10" must not wrap into "<" over "10"): the table scrolls sideways instead. */}
      <table className="border-separate border-spacing-0.5 whitespace-nowrap text-tremor-label" data-testid="cohort-heatmap">
        <thead>
          <tr>
            <th className="sticky left-0 bg-white px-2 text-left font-medium text-tremor-content">{t('cohorts.cohort')}</th>
            <th className="px-2 text-right font-medium text-tremor-content">{t('cohorts.members')}</th>
            {Array.from({ length: offsets }, (_, k) => (
              <th key={k} className="w-14 text-center font-medium text-tremor-content">
                {k}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {cohorts.map((cohort) => (
            <tr key={cohort}>
              <td className="sticky left-0 whitespace-nowrap bg-white px-2 text-tremor-content-emphasis">{formatMonth(cohort, lang)}</td>
              <td className="px-2 text-right text-tremor-content">{label(byKey.get(`${cohort}|0`), 'members', 'number')}</td>
              {Array.from({ length: offsets }, (_, k) => {
                const cell = byKey.get(`${cohort}|${k}`);
                if (!cell) return <td key={k} />;
                const value = cell[metric];
                const intensity = value === null ? 0 : Math.min(1, value / scale);
                const isSelected = selected?.cohort === cohort && selected.offset === k;
                const isPartial = activityMonth(cell) === partial?.month;
                return (
                  <td key={k}>
                    <button
                      type="button"
                      data-testid={`cell-${cohort.slice(0, 7)}-${k}`}
                      data-value={value ?? ''}
                      data-suppressed={hiddenBelow(cell, metric) ?? undefined}
                      data-partial={isPartial || undefined}
                      onClick={() => onSelect(cell)}
                      className={`h-7 w-14 rounded-sm text-center ${isSelected ? 'ring-2 ring-amber-500' : ''} ${isPartial ? 'outline-dashed outline-1 outline-amber-600' : ''} ${intensity > 0.55 ? 'text-white' : 'text-tremor-content-strong'}`}
                      style={{ backgroundColor: `rgba(79, 70, 229, ${0.06 + 0.9 * intensity})` }}
                      title={`${formatMonth(cohort, lang)} +${k}${isPartial ? t('board.partialMark') : ''}`}
                    >
                      {label(cell, metric, COHORT_FORMAT[metric])}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <PartialMonthNote partial={partial} months={cells.map(activityMonth)} />
    </div>
  );
}
