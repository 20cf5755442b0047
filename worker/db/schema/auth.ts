import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { ROLES } from "../../../domain/roles";

/** API users. Passwords are salted PBKDF2-SHA256 hashes (WebCrypto), never stored in clear. */
export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  /** Stored lower-cased; unique. */
  email: text("email").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  passwordSalt: text("password_salt").notNull(),
  passwordIterations: integer("password_iterations").notNull(),
  role: text("role", { enum: ROLES }).notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * Failed sign-ins per account (`account:<email>`, whether or not the account exists, so the
 * answer reveals nothing): after a few free failures each one blocks the next attempt for a
 * doubling delay, capped (worker/auth/throttle.ts).
 */
export const loginFailures = sqliteTable("login_failures", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  lastFailureAt: integer("last_failure_at").notNull(),
  blockedUntil: integer("blocked_until"),
});

/**
 * API keys for scripts: `egk_<id>_<secret>`. Only SHA-256 of the whole key is stored (the secret
 * is 256 random bits, so a fast hash is enough; worker/auth/api-keys.ts). A key acts with its
 * owner's current role and dies with its owner (ON DELETE CASCADE).
 */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    /** 8 random lower-case base32 characters, also the key's visible prefix. */
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    secretHash: text("secret_hash").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at"),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("api_keys_user").on(t.userId)],
);

/**
 * Who did what, when, from where: sign-ins, user and key changes, uploads, imports, publishing.
 * `detail` is a small JSON object, never a password or key secret. Pruned after
 * AUDIT_RETENTION_DAYS by the cron (worker/auth/audit.ts).
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    actorId: text("actor_id"),
    actorEmail: text("actor_email"),
    ip: text("ip"),
    action: text("action").notNull(),
    target: text("target"),
    detail: text("detail").notNull(),
  },
  (t) => [
    index("audit_log_at").on(t.at),
    index("audit_log_action").on(t.action, t.id),
    index("audit_log_actor").on(t.actorId, t.id),
  ],
);
