import { createRequire } from 'node:module';
import { assertKnownTimeZone } from '../policy/timeZones.js';

const require = createRequire(import.meta.url);
const { PostgresQuery: CubePostgresQuery } = require('@cubejs-backend/schema-compiler') as { PostgresQuery: new (...args: any[]) => any };

/**
 * Cube's Postgres dialect, refusing any time zone that is not an IANA name before it can
 * reach SQL (upstream pastes it into `AT TIME ZONE '…'`).
 */
export class PostgresQuery extends CubePostgresQuery {
  constructor(compilers: unknown, options: { timezone?: string }) {
    super(compilers, options);
    // Scheduled refreshes compile without a zone; anything given must be a known one.
    if (this.timezone !== undefined) assertKnownTimeZone(this.timezone);
  }
}
