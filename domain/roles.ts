/** Roles, least to most privileged: each may do everything the ones before it may. */
export const ROLES = ["analyst", "owner", "admin"] as const;
export type Role = (typeof ROLES)[number];
