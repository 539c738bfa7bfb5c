/**
 * Roles, from widest to narrowest (what each may see: cube/policy/roles.ts). `embed` is the
 * identity an embed token's chart runs under; no user has it.
 */
export const ROLES = ['admin', 'crm_manager', 'marketer', 'executive', 'viewer', 'embed'] as const;
export type Role = (typeof ROLES)[number];

/** `tenant_id: '*'` means every tenant (admins only, in practice). */
export interface SecurityContext {
  tenant_id: string;
  role: Role;
  /** Who the token was minted for, for logs; never used for authorisation. */
  sub?: string;
}

export const ALL_TENANTS = '*';

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
