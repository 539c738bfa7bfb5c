import type { Role } from '../auth/securityContext.js';

export interface RoleCapabilities {
  /** May see name, email and phone (members with `meta.pii: true`). */
  personalData: boolean;
  /** May only query views marked `meta.board: true`. */
  boardOnly: boolean;
  /** Most rows one query may return (`limit`); contact lists need the most. */
  maxRows: number;
}

/** What each role may see (README.md, "Security"). Tenant scope comes from the token itself. */
export const ROLE_CAPABILITIES: Record<Role, RoleCapabilities> = {
  admin: { personalData: true, boardOnly: false, maxRows: 100_000 },
  crm_manager: { personalData: true, boardOnly: false, maxRows: 100_000 },
  marketer: { personalData: false, boardOnly: false, maxRows: 50_000 },
  executive: { personalData: false, boardOnly: false, maxRows: 50_000 },
  viewer: { personalData: false, boardOnly: true, maxRows: 10_000 },
  embed: { personalData: false, boardOnly: false, maxRows: 10_000 },
};
