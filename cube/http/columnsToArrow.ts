import { Dictionary, Float64, Int32, Table, Utf8, makeData, makeVector, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';

/** A column of text or numbers, as a warehouse driver hands it over; null for no value. */
export type Column = (string | number | null)[];

/**
 * Text as a dictionary vector built in one pass: the extract's text columns hold a few dozen
 * distinct values over hundreds of thousands of rows, and Arrow's generic builder costs seconds there.
 */
function textVector(values: Column, keep: number[]): Vector {
  const codes = new Int32Array(keep.length);
  const validity = new Uint8Array(Math.ceil(keep.length / 8));
  const dictionary = new Map<string, number>();
  let nullCount = 0;
  keep.forEach((row, i) => {
    const value = values[row];
    if (value === null) {
      nullCount += 1;
      return;
    }
    const text = String(value);
    let code = dictionary.get(text);
    if (code === undefined) dictionary.set(text, (code = dictionary.size));
    codes[i] = code;
    validity[i >> 3] |= 1 << (i & 7);
  });
  const type = new Dictionary(new Utf8(), new Int32());
  const words = vectorFromArray([...dictionary.keys()], new Utf8());
  return makeVector(makeData({ type, length: keep.length, nullCount, nullBitmap: nullCount ? validity : null, data: codes, dictionary: words }));
}

/** Numbers as Float64, NULL where a value is null (a figure withheld for a small group must read as NULL, not as a number). */
function numberVector(values: Column, keep: number[]): Vector {
  const data = Float64Array.from(keep, (row) => (values[row] === null ? 0 : Number(values[row])));
  const validity = new Uint8Array(Math.ceil(keep.length / 8));
  let nullCount = 0;
  keep.forEach((row, i) => {
    if (values[row] === null) nullCount += 1;
    else validity[i >> 3] |= 1 << (i & 7);
  });
  return makeVector(makeData({ type: new Float64(), length: keep.length, nullCount, nullBitmap: nullCount ? validity : null, data }));
}

/** The rows `keep` names (in that order) of these columns, as an Arrow IPC stream: text dictionary-encoded, numbers as Float64. */
export function columnsToArrow(columns: Record<string, Column>, text: readonly string[], keep: number[]): Uint8Array {
  const vectors = Object.fromEntries(Object.entries(columns).map(([name, values]) => [name, text.includes(name) ? textVector(values, keep) : numberVector(values, keep)]));
  return tableToIPC(new Table(vectors), 'stream');
}

/** Rows (as a driver without a columnar reader returns them) turned into columns. */
export function columnsOfRows(rows: Record<string, unknown>[], names: readonly string[]): Record<string, Column> {
  return Object.fromEntries(names.map((name) => [name, rows.map((row) => (row[name] ?? null) as string | number | null)]));
}
