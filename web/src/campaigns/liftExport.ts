import type { Catalog } from '../data/catalog';
import type { ExportColumn } from '../ui/exportColumns';
import type { MessageKey } from '../ui/i18n';
import { LIFT_FIGURES, m, type Row } from './campaignQueries';
import { liftVerdict } from './liftVerdict';

/** The key under which an exported row carries its verdict (a column the page writes, not the model's). */
const VERDICT = 'verdict';

/**
 * The columns of a lift table's CSV (the campaign table, lift by segment): `leading` (the
 * campaign, or the segment) then each figure under the model's title, the verdict as the table
 * words it and the incremental revenue. Rows come from `liftExportRows`.
 */
export function liftExportColumns(catalog: Catalog, t: (key: MessageKey) => string, header: string, leading: ExportColumn[]): ExportColumn[] {
  const members = (names: string[]) => names.map((n) => catalog.member(m(n))).filter((c) => c !== undefined);
  return [...leading, ...members(LIFT_FIGURES), { name: VERDICT, header, text: (v) => t(`campaigns.verdict.${String(v)}` as MessageKey) }, ...members(['incremental_revenue_per_treated'])];
}

/** The rows with their verdict; figures are blank where the server hid them (verdict null) or the lift does not exist. */
export const liftExportRows = (rows: Row[]) => rows.map((r) => ({ ...r, [VERDICT]: liftVerdict(r) }));

/** A row the server hid: its verdict could not be read. A blank lift of a row with a verdict is "not defined", not hidden. */
export const liftRowHidden = (row: Record<string, unknown>) => row[VERDICT] === null;
