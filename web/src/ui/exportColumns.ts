import type { CatalogMember } from '../data/catalog';
import { formatTime, formatValue, type ValueFormat } from './format';
import type { Lang } from './i18n';
import { memberLabel, valueLabel } from './measureLabel';

/**
 * A table as a spreadsheet user wants it: headers are the model's titles in the user's
 * language; rates as the page shows them (26.0%), since a ratio 0.2602… reads as nothing;
 * money and counts as plain full-precision numbers, because a cell Excel can add up beats
 * "¥7,323万" (a text it cannot), with the currency in the header (売上 (円)); values of a
 * dimension as labelled on screen; a figure the server hid as "< 10", as the pages write it.
 */
export interface ExportTable {
  header: string[];
  rows: string[][];
}

/** A column a page names and writes itself (a month, a KPI's 前年比, a verdict), beside the catalog's members. */
export interface PageColumn {
  name: string;
  header: string;
  text(value: unknown): string;
}

/**
 * A figure column a page names (a chart's series: 今年, 前年; 実績, モデル): written as a model
 * measure of its format is, with the currency in its header, so a chart's export reads like a table's.
 */
export interface FigureColumn {
  name: string;
  header: string;
  format: ValueFormat;
}

export type ExportColumn = CatalogMember | PageColumn | FigureColumn;

const isPageColumn = (c: ExportColumn): c is PageColumn => 'text' in c;

/** A figure as an export writes it: a rate as the page shows it (26.0%), money and counts as plain numbers a spreadsheet can add up. */
export function exportFigure(value: number, format: ValueFormat, lang: Lang): string {
  return format === 'percent' ? formatValue(value, 'percent', lang) : String(value);
}

/** The chart series a page draws (one row per x value, one key per series) as columns: the x values as written, each series a figure. */
export function seriesColumns(index: { name: string; header: string }, series: string[], format: ValueFormat): ExportColumn[] {
  return [{ ...index, text: String }, ...series.map((s) => ({ name: s, header: s, format }))];
}

/** The unit a money column's header names: 円 in Japanese for yen, else the ISO code; none when the figures mix currencies. */
function moneyUnit(lang: Lang, currency: string | null): string | null {
  if (currency === null) return null;
  return lang === 'ja' && currency === 'JPY' ? '円' : currency;
}

export interface ExportOptions {
  lang: Lang;
  currency: string | null;
  minGroupSize: number | null;
  /**
   * Whether the server hid a row's figures; by default every blank figure is hidden. A page whose
   * blanks also mean "not defined" (a lift without control conversions) says which rows are hidden.
   */
  hidden?: (row: Record<string, unknown>) => boolean;
}

export function exportTable(rows: Record<string, unknown>[], columns: ExportColumn[], options: ExportOptions): ExportTable {
  const { lang, currency, minGroupSize, hidden = () => true } = options;
  const header = columns.map((c) => {
    if (isPageColumn(c)) return c.header;
    const title = 'header' in c ? c.header : memberLabel(c, lang);
    const unit = c.format === 'currency' ? moneyUnit(lang, currency) : null;
    return unit ? `${title} (${unit})` : title;
  });
  const cell = (c: ExportColumn, v: unknown, row: Record<string, unknown>): string => {
    if (isPageColumn(c)) return v === null || v === undefined ? '' : c.text(v);
    const figure = 'header' in c || c.kind === 'measure';
    if (v === null || v === undefined) return figure && minGroupSize !== null && hidden(row) ? `< ${minGroupSize}` : '';
    if ('header' in c) return exportFigure(Number(v), c.format, lang);
    if (figure || c.format !== 'number') return exportFigure(Number(v), c.format, lang);
    // Explore names a time column `view.dimension.granularity`; other time columns are days.
    if (c.type === 'time') return formatTime(String(v), c.name.split('.')[2] ?? 'day', lang);
    return valueLabel(c, v, lang);
  };
  return { header, rows: rows.map((r) => columns.map((c) => cell(c, r[c.name], r))) };
}
