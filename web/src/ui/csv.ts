/**
 * A number as JavaScript or Cube writes one (`-3.2`, `1e-7`, `+5`), or a signed percentage as an
 * export writes a change (`+33.0%`): a spreadsheet reads it as a number, never as a formula.
 */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?%?$/;
/**
 * What makes a spreadsheet read a cell as a formula (OWASP, CSV injection): = + - @, a tab or a
 * carriage return first. The full-width ＝＋－＠ are included as a precaution: Japanese input
 * produces them, and a spreadsheet that normalises width would read them the same way.
 */
const FORMULA_START = /^[=+\-@\t\r＝＋－＠]/;

/**
 * One cell's text. A text that would start a formula gets a leading `'` (OWASP's advice: the
 * spreadsheet shows it as text), so a store or tenant name an importer typed as
 * `=HYPERLINK(…)` reaches the all-tenant admin's spreadsheet as words. Numbers, negative ones
 * included, are kept as they are.
 */
function csvCell(value: unknown): string {
  const raw = value === null || value === undefined ? '' : String(value);
  const text = FORMULA_START.test(raw) && !PLAIN_NUMBER.test(raw) ? `'${raw}` : raw;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text of rows (RFC 4180 quoting, formulas neutralised), with a BOM so Excel opens Japanese text correctly. */
export function toCsv(rows: Record<string, unknown>[], columns: string[] = Object.keys(rows[0] ?? {})): string {
  return `\uFEFF${[columns.map(csvCell).join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\r\n')}\r\n`;
}

export function downloadCsv(filename: string, rows: Record<string, unknown>[], columns?: string[]): void {
  const url = URL.createObjectURL(new Blob([toCsv(rows, columns)], { type: 'text/csv;charset=utf-8' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: filename });
  a.click();
  URL.revokeObjectURL(url);
}
