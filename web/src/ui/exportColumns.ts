import type { CatalogMember } from '../data/catalog';
import { formatTime, formatValue } from './format';
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

/** A column a page names and writes itself (a month, a KPI's 前年比), beside the catalog's members. */
export interface PageColumn {
  name: string;
  header: string;
  text(value: unknown): string;
}

export type ExportColumn = CatalogMember | PageColumn;

const isPageColumn = (c: ExportColumn): c is PageColumn => 'header' in c;

/** The unit a money column's header names: 円 in Japanese for yen, else the ISO code; none when the figures mix currencies. */
function moneyUnit(lang: Lang, currency: string | null): string | null {
  if (currency === null) return null;
  return lang === 'ja' && currency === 'JPY' ? '円' : currency;
}

export function exportTable(rows: Record<string, unknown>[], columns: ExportColumn[], options: { lang: Lang; currency: string | null; minGroupSize: number | null }): ExportTable {
  const { lang, currency, minGroupSize } = options;
  const header = columns.map((c) => {
    if (isPageColumn(c)) return c.header;
    const unit = c.format === 'currency' ? moneyUnit(lang, currency) : null;
    return unit ? `${memberLabel(c, lang)} (${unit})` : memberLabel(c, lang);
  });
  const cell = (c: ExportColumn, v: unknown): string => {
    if (isPageColumn(c)) return v === null || v === undefined ? '' : c.text(v);
    if (v === null || v === undefined) return c.kind === 'measure' && minGroupSize !== null ? `< ${minGroupSize}` : '';
    if (c.format === 'percent') return formatValue(Number(v), 'percent', lang);
    if (c.kind === 'measure' || c.format === 'currency') return String(Number(v));
    // Explore names a time column `view.dimension.granularity`; other time columns are days.
    if (c.type === 'time') return formatTime(String(v), c.name.split('.')[2] ?? 'day', lang);
    return valueLabel(c, v, lang);
  };
  return { header, rows: rows.map((r) => columns.map((c) => cell(c, r[c.name]))) };
}
