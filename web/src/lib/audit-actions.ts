/**
 * Every action the audit trail records (worker/auth/audit.ts AUDIT_ACTIONS), with a label for the
 * filter. Copied, not imported: that module needs the Workers types, which the page's tsconfig
 * lacks; test/web/audit.test.tsx fails when the two lists differ.
 */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
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
