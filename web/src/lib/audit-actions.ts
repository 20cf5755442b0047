import type { AuditAction } from "../../../domain/audit-actions";

/** Every action the audit trail records (domain/audit-actions.ts), with a label for the filter. */
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  "auth.login": "Sign-in",
  "auth.login-failed": "Failed sign-in",
  "user.create": "User created",
  "user.role": "Role changed",
  "user.delete": "User deleted",
  "key.create": "API key created",
  "key.revoke": "API key revoked",
  "upload.create": "Upload",
  "import.run": "Import run",
  "dataset.publish": "Dataset published",
  "dataset.withdraw": "Dataset withdrawn",
};
