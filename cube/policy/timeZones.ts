import { createRequire } from 'node:module';

// The closed list Cube itself parses dates with (moment-timezone's IANA names, aliases
// included), so a zone accepted here is one Cube, DuckDB's ICU and Postgres all know.
const require = createRequire(createRequire(import.meta.url).resolve('@cubejs-backend/api-gateway'));
const moment = require('moment-timezone') as { tz: { names(): string[] } };
const KNOWN_TIME_ZONES = new Set(moment.tz.names());

/** A query's time zone that is not an IANA name; answered with 400. */
export class UnknownTimeZone extends Error {}

/**
 * Throws unless `timeZone` is exactly an IANA time zone name. Dialects paste the query's
 * time zone into SQL (Cube's do too), so this check stands between request text and SQL.
 */
export function assertKnownTimeZone(timeZone: unknown): asserts timeZone is string {
  if (typeof timeZone !== 'string' || !KNOWN_TIME_ZONES.has(timeZone)) {
    const shown = typeof timeZone === 'string' ? JSON.stringify(timeZone.slice(0, 60)) : typeof timeZone;
    throw new UnknownTimeZone(`Unknown time zone ${shown}: use an IANA name such as "Asia/Tokyo" or "UTC".`);
  }
}
