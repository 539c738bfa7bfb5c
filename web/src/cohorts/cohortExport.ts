import type { ExportColumn } from '../ui/exportColumns';
import { formatMonth } from '../ui/format';
import type { Lang, MessageKey } from '../ui/i18n';
import { COHORT_FORMAT, type CohortMetric, type MatrixCell } from './cohortQueries';

/**
 * The heat-map's CSV: one row per cell, the cohort month as the page writes it, the months since,
 * the cohort's size and the metric shown, under the page's column names. A hidden figure is
 * "< 10" as on the heat-map (the cells carry the minimum group size when the answer hid some).
 */
export function cohortExport(cells: MatrixCell[], metric: CohortMetric, t: (key: MessageKey) => string, lang: Lang) {
  const columns: ExportColumn[] = [
    { name: 'cohort_month', header: t('cohorts.cohort'), text: (v) => formatMonth(String(v), lang) },
    { name: 'month_offset', header: t('cohorts.offset'), text: String },
    { name: 'members', header: t('cohorts.members'), format: 'number' },
    { name: metric, header: t(`cohorts.${metric}`), format: COHORT_FORMAT[metric] },
  ];
  const minGroupSize = cells.map((c) => c.suppressedBelow ?? c.figuresBelow).find((n) => n !== null && n !== undefined) ?? null;
  return { rows: cells.map((c) => ({ ...c })), columns, minGroupSize };
}
