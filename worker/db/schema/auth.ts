import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const ROLES = ["analyst", "owner", "admin"] as const;
export type Role = (typeof ROLES)[number];

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
