import type { Role } from '../auth/securityContext.js';

export interface RoleCapabilities {
  /** May see name, email and phone (members with `meta.pii: true`). */
  personalData: boolean;
  /** May only query views marked `meta.board: true`. */
  boardOnly: boolean;
  /** Most rows one query may return (`limit`); contact lists need the most. */
  maxRows: number;
  /** May ask for a customer list (rows grouped by a view's member number): an embed shows it to whoever holds the link. */
  customerLists: boolean;
  /**
   * May read the SQL Cube generates (/sql) and its query plan (/dry-run): they name the model's
   * private cubes and rollup tables, which a role under suppression has no use for.
   */
  generatedSql: boolean;
}

/** What each role may see (README.md, "Security"). Tenant scope comes from the token itself. */
export const ROLE_CAPABILITIES: Record<Role, RoleCapabilities> = {
  admin: { customerLists: true, personalData: true, boardOnly: false, maxRows: 100_000, generatedSql: true },
  crm_manager: { customerLists: true, personalData: true, boardOnly: false, maxRows: 100_000, generatedSql: true },
  marketer: { customerLists: true, personalData: false, boardOnly: false, maxRows: 50_000, generatedSql: false },
  executive: { customerLists: true, personalData: false, boardOnly: false, maxRows: 50_000, generatedSql: false },
  viewer: { customerLists: true, personalData: false, boardOnly: true, maxRows: 10_000, generatedSql: false },
  embed: { customerLists: false, personalData: false, boardOnly: false, maxRows: 10_000, generatedSql: false },
};
