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
}

/** What each role may see (README.md, "Security"). Tenant scope comes from the token itself. */
export const ROLE_CAPABILITIES: Record<Role, RoleCapabilities> = {
  admin: { customerLists: true, personalData: true, boardOnly: false, maxRows: 100_000 },
  crm_manager: { customerLists: true, personalData: true, boardOnly: false, maxRows: 100_000 },
  marketer: { customerLists: true, personalData: false, boardOnly: false, maxRows: 50_000 },
  executive: { customerLists: true, personalData: false, boardOnly: false, maxRows: 50_000 },
  viewer: { customerLists: true, personalData: false, boardOnly: true, maxRows: 10_000 },
  embed: { customerLists: false, personalData: false, boardOnly: false, maxRows: 10_000 },
};
