/** What the audit trail records; each name is `<thing>.<verb>`. */
export const AUDIT_ACTIONS = [
  "auth.login",
  "auth.login-failed",
  "user.create",
  "user.role",
  "user.delete",
  "key.create",
  "key.revoke",
  "upload.create",
  "import.run",
  "dataset.publish",
  "dataset.withdraw",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
