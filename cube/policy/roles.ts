import type { Role } from '../auth/securityContext.js';

export interface RoleCapabilities {
  /** May see name, email and phone (members with `meta.pii: true`). */
  personalData: boolean;
  /** May only query views marked `meta.board: true`. */
  boardOnly: boolean;
}

/** What each role may see (README.md, "Security"). Tenant scope comes from the token itself. */
export const ROLE_CAPABILITIES: Record<Role, RoleCapabilities> = {
  admin: { personalData: true, boardOnly: false },
  crm_manager: { personalData: true, boardOnly: false },
  marketer: { personalData: false, boardOnly: false },
  executive: { personalData: false, boardOnly: false },
  viewer: { personalData: false, boardOnly: true },
  embed: { personalData: false, boardOnly: false },
};
