import { DuckDBDateValue, DuckDBDecimalValue, DuckDBTimestampTZValue, DuckDBTimestampValue, type DuckDBValue } from '@duckdb/node-api';

/** Renders epoch milliseconds the way Cube's own drivers return timestamps: ISO without zone. */
function isoLocal(millis: number): string {
  return new Date(millis).toISOString().replace('Z', '');
}

/**
 * Converts one DuckDB cell into the JSON value Cube's API gateway expects from a driver:
 * numbers as strings (exact for BIGINT and DECIMAL, like the Postgres driver), dates and
 * timestamps as ISO strings, everything else as is.
 */
export function toCubeValue(value: DuckDBValue): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof DuckDBDecimalValue) return decimalText(value);
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) {
    return isoLocal(Number(value.micros / 1000n));
  }
  if (value instanceof DuckDBDateValue) return isoLocal(value.days * 86_400_000);
  return String(value);
}

function decimalText(value: DuckDBDecimalValue): string {
  const text = value.toString();
  // "12.50" -> "12.5", "100.00" -> "100": the same text Postgres gives for numeric sums.
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
