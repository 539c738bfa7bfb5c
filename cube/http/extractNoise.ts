import type { SecurityContext } from '../auth/securityContext.js';
import type { MemberIndex } from '../policy/memberIndex.js';
import { addStickyNoise } from '../policy/stickyNoise.js';
import type { QueryResult } from '../policy/suppression.js';
import { scopeQueryToTenant } from '../policy/tenantScope.js';
import type { Column } from './columnsToArrow.js';

/** How the extract's columns name the model: its view, its time bucket, the slice attributes, and each figure column's measure. */
export interface ExtractShape {
  view: string;
  /** The cohort month column, a date (YYYY-MM-DD), grouped by month. */
  month: { column: string; dimension: string };
  /** The month offset column, a number dimension of the view. */
  offset: { column: string; dimension: string };
  /** The slice attributes in `slice_set` bit order (the first is the highest bit); each a dimension `${view}.${name}`. */
  attributes: readonly string[];
  /** Figure column -> measure. */
  figures: Record<string, string>;
}

/**
 * Sticky noise on the cohort extract's figures, the same noise /load gives each of them. Without
 * it, a slice's parent minus its visible children minus one noisy /load cell gave 3 members'
 * revenue in one month within 12-16 yen (attack review of issue 19). Each slice of the extract
 * (one `slice_set`) is the answer to one /load query of the view: its figures by cohort month,
 * month offset and the attributes the slice keeps, scoped to the caller's tenant. Its rows are
 * written as Cube returns them and noised by addStickyNoise, so a cell of the extract reads what
 * /load answers for the same cell, and the pair of them gives nothing the other does not.
 * `rows` are the rows to send; figures already withheld (NULL) stay so. Writes the columns in place.
 */
export function addExtractNoise(columns: Record<string, Column>, rows: number[], shape: ExtractShape, context: SecurityContext, index: MemberIndex, key: Buffer, minGroupSize: number): void {
  const bySlice = new Map<number, number[]>();
  for (const row of rows) {
    const mask = Number(columns.slice_set[row]);
    if (!bySlice.has(mask)) bySlice.set(mask, []);
    bySlice.get(mask)!.push(row);
  }
  const measures = Object.values(shape.figures);
  const bucket = `${shape.month.dimension}.month`;
  for (const [mask, sliceRows] of bySlice) {
    const kept = shape.attributes.filter((_, i) => !(mask & (1 << (shape.attributes.length - 1 - i))));
    const query = scopeQueryToTenant(
      {
        measures,
        dimensions: [shape.offset.dimension, ...kept.map((a) => `${shape.view}.${a}`)],
        timeDimensions: [{ dimension: shape.month.dimension, granularity: 'month' }],
        timezone: 'UTC',
      },
      context,
    ) as QueryResult['query'];
    // A row as /load answers it: numbers as strings, the month as its first instant.
    const data = sliceRows.map((row) => {
      const cube: Record<string, unknown> = {
        [bucket]: `${String(columns[shape.month.column][row])}T00:00:00.000`,
        [shape.offset.dimension]: String(columns[shape.offset.column][row]),
      };
      for (const a of kept) cube[`${shape.view}.${a}`] = columns[a][row];
      for (const [column, measure] of Object.entries(shape.figures)) cube[measure] = columns[column][row] === null ? null : String(columns[column][row]);
      return cube;
    });
    const noisy = addStickyNoise({ query, data }, index, key, minGroupSize, data).data;
    sliceRows.forEach((row, i) => {
      for (const [column, measure] of Object.entries(shape.figures)) {
        const value = noisy[i][measure];
        columns[column][row] = value === null || value === undefined ? null : Number(value);
      }
    });
  }
}
