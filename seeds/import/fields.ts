/**
 * Parsing of the field values that import files carry. Each parser returns the value or null;
 * the format modules turn a null into a rejection reason naming the column and the text.
 */

/** Splits one CSV record: quotes may wrap a field and "" inside them is a quote. */
export function splitDelimited(text: string, delimiter: string): string[] | null {
  if (!text.includes('"')) return text.split(delimiter);
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  if (quoted) return null; // an unclosed quote: records spanning lines are not supported
  fields.push(field);
  return fields;
}

const CANONICAL = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
const DATE_TIME = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

/** `YYYY-MM-DD[ HH:MM[:SS]]` (or with `/`, as Japanese exports write it) → `YYYY-MM-DD HH:MM:SS`. */
export function parseDateTime(text: string): string | null {
  if (CANONICAL.test(text)) {
    const n = (from: number, to: number) => Number(text.slice(from, to));
    return dateTimeText(n(0, 4), n(5, 7), n(8, 10), n(11, 13), n(14, 16), n(17, 19)) && text;
  }
  const m = DATE_TIME.exec(text.trim());
  if (!m) return null;
  return dateTimeText(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
}

/** `YYYYMMDD` (CDNOW) → `YYYY-MM-DD 00:00:00`. */
export function parseCompactDate(text: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  return m ? dateTimeText(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0) : null;
}

const daysInMonth = (year: number, month: number) => (month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31);
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

// Checked by arithmetic, not through Date: this runs once per imported line.
function dateTimeText(year: number, month: number, day: number, hour: number, minute: number, second: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return null;
  return `${year}-${two(month)}-${two(day)} ${two(hour)}:${two(minute)}:${two(second)}`;
}

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** A decimal number: optional sign, optional yen sign, thousands commas allowed (`¥1,234.5`). */
export function parseDecimal(text: string): number | null {
  if (PLAIN_NUMBER.test(text)) return Number(text);
  const t = text.trim().replace(/^([-+]?)[¥￥$]/, '$1');
  if (!/^[-+]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$/.test(t) && !/^[-+]?\.\d+$/.test(t)) return null;
  return Number(t.replace(/,/g, ''));
}

/**
 * Limits of one line: the warehouse keeps money as DECIMAL(18,2) (an order's total sums its
 * lines) and quantities as INTEGER, so a value beyond them is the line's fault, reported with
 * its number, not a database error that fails the whole import.
 */
export const MAX_AMOUNT = 1e12;
export const MAX_QUANTITY = 1e6;

/** A money amount as parseDecimal reads it, null beyond ±MAX_AMOUNT. */
export function parseAmount(text: string): number | null {
  const value = parseDecimal(text);
  return value !== null && Math.abs(value) < MAX_AMOUNT ? value : null;
}

/** A line's quantity: a whole number within ±MAX_QUANTITY. */
export function parseQuantity(text: string): number | null {
  const value = parseWholeNumber(text);
  return value !== null && Math.abs(value) <= MAX_QUANTITY ? value : null;
}

/** A whole number; `17850.0` (a whole number written as float text) counts as one. */
export function parseWholeNumber(text: string): number | null {
  const value = parseDecimal(text);
  return value !== null && Number.isSafeInteger(value) ? value : null;
}

/** Shifts a `YYYY-MM-DD HH:MM:SS` text by whole days (negative: earlier). */
export function addDays(dateTime: string, days: number): string {
  const t = new Date(`${dateTime.replace(' ', 'T')}Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 19).replace('T', ' ');
}

/** Shifts a `YYYY-MM-DD HH:MM:SS` text by whole months (negative: earlier). */
export function addMonths(dateTime: string, months: number): string {
  const t = new Date(`${dateTime.replace(' ', 'T')}Z`);
  t.setUTCMonth(t.getUTCMonth() + months);
  return t.toISOString().slice(0, 19).replace('T', ' ');
}
