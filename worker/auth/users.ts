import { and, asc, count, eq, ne, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Role } from "../../domain/roles";
import { users } from "../db/schema/auth";
import { hashPassword, type PasswordHash } from "./password";
import { passwordProblem } from "./password-policy";

/** A user as the API shows it: never the password hash. */
export interface PublicUser {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
  updatedAt: string;
}

type UserRow = typeof users.$inferSelect;

/**
 * How long an isolate trusts a user row it has read (role, existence). Role changes and
 * deletions made through the API take effect at once in the isolate that made them and within
 * this many milliseconds everywhere else, even for tokens issued before the change.
 */
export const USER_CACHE_MS = 30_000;
/**
 * Past this age a cached row is still used (it is within USER_CACHE_MS) but re-read from D1
 * after the response, so a user active at least every 30 s never waits on D1 for the check.
 */
export const USER_REFRESH_AFTER_MS = 15_000;
/** Rows each isolate keeps; the oldest goes first (Map keeps insertion order). */
const USER_CACHE_ENTRIES = 10_000;
const userCache = new Map<string, { row: UserRow | null; until: number; refreshing?: boolean }>();
// Bumped by every change: a read that started before one must not put its older row back.
let userWrites = 0;

function forgetUser(id: string): void {
  userWrites += 1;
  userCache.delete(id);
}

async function readUser(db: D1Database, id: string): Promise<UserRow | null> {
  const since = userWrites;
  const row = (await drizzle(db).select().from(users).where(eq(users.id, id)).get()) ?? null;
  if (since === userWrites) {
    userCache.delete(id);
    if (userCache.size >= USER_CACHE_ENTRIES) userCache.delete(userCache.keys().next().value as string);
    userCache.set(id, { row, until: Date.now() + USER_CACHE_MS });
  }
  return row;
}

function toPublic(row: UserRow): PublicUser {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** Normalises an email for storage and lookup. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The user row for a token subject, from a short per-isolate cache or D1. With `background`
 * (e.g. waitUntil), a cached row older than USER_REFRESH_AFTER_MS is returned at once and
 * re-read through `background`; without it, or past USER_CACHE_MS, the caller waits for D1.
 */
export async function findUserById(
  db: D1Database,
  id: string,
  background?: (work: Promise<unknown>) => void,
): Promise<UserRow | null> {
  const cached = userCache.get(id);
  const now = Date.now();
  if (cached && cached.until > now) {
    if (background && !cached.refreshing && cached.until - now < USER_CACHE_MS - USER_REFRESH_AFTER_MS) {
      cached.refreshing = true;
      background(
        readUser(db, id).catch((error) => {
          cached.refreshing = false;
          console.error(JSON.stringify({ event: "user-refresh-failed", message: String(error) }));
        }),
      );
    }
    return cached.row;
  }
  return readUser(db, id);
}

/** The stored hash and identity for a login attempt. */
export async function findUserByEmail(db: D1Database, email: string): Promise<(UserRow & PasswordHash) | null> {
  const row = await drizzle(db)
    .select()
    .from(users)
    .where(eq(users.email, normaliseEmail(email)))
    .get();
  return row ? { ...row, hash: row.passwordHash, salt: row.passwordSalt, iterations: row.passwordIterations } : null;
}

/** Thrown when an email is already taken. */
export class DuplicateEmailError extends Error {}

/** Thrown when a password does not meet the policy (password-policy.ts); the message says why. */
export class WeakPasswordError extends Error {}

/**
 * Creates a user; the password is checked against the policy and hashed here, so every way of
 * setting a password (the API, the first admin from ADMIN_PASSWORD) obeys the same rule.
 */
export async function createUser(db: D1Database, input: { email: string; password: string; role: Role }) {
  const weak = passwordProblem(input.password, [
    normaliseEmail(input.email),
    ...normaliseEmail(input.email).split(/[@.+_-]/),
  ]);
  if (weak) throw new WeakPasswordError(`password: ${weak}`);
  const hashed = await hashPassword(input.password);
  const now = Date.now();
  const row: UserRow = {
    id: crypto.randomUUID(),
    email: normaliseEmail(input.email),
    passwordHash: hashed.hash,
    passwordSalt: hashed.salt,
    passwordIterations: hashed.iterations,
    role: input.role,
    createdAt: now,
    updatedAt: now,
  };
  const inserted = await drizzle(db).insert(users).values(row).onConflictDoNothing().returning({ id: users.id });
  if (inserted.length === 0) throw new DuplicateEmailError(`a user with email ${row.email} already exists`);
  return toPublic(row);
}

/**
 * Creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD when no admin exists yet.
 * Idempotent: concurrent first logins race on the unique email and one wins.
 */
export async function ensureFirstAdmin(env: Env): Promise<void> {
  if (!env.ADMIN_EMAIL || !env.ADMIN_PASSWORD) return;
  const admins = await drizzle(env.DB).select({ n: count() }).from(users).where(eq(users.role, "admin")).get();
  if ((admins?.n ?? 0) > 0) return;
  try {
    await createUser(env.DB, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD, role: "admin" });
  } catch (error) {
    if (error instanceof WeakPasswordError) {
      console.error(
        JSON.stringify({
          event: "first-admin-not-created",
          message: `ADMIN_PASSWORD does not meet the password policy (${error.message}), so no admin was created. Set a stronger one: wrangler secret put ADMIN_PASSWORD.`,
        }),
      );
      return;
    }
    if (!(error instanceof DuplicateEmailError)) throw error;
    // Either a concurrent first login created it (fine), or the address belongs to a user who is
    // not an admin: then there is still no admin, and the operator must hear about it.
    const holder = await findUserByEmail(env.DB, env.ADMIN_EMAIL);
    if (holder && holder.role !== "admin") {
      console.error(
        JSON.stringify({
          event: "first-admin-not-created",
          message:
            `No admin exists and ADMIN_EMAIL belongs to an existing ${holder.role} account, so no admin was created. ` +
            "Set ADMIN_EMAIL (and ADMIN_PASSWORD) to an address no account uses: wrangler secret put ADMIN_EMAIL.",
        }),
      );
    }
  }
}

/** All users, by email. */
export async function listUsers(db: D1Database): Promise<PublicUser[]> {
  const rows = await drizzle(db).select().from(users).orderBy(asc(users.email)).all();
  return rows.map(toPublic);
}

/** Thrown when a change would leave the system without any admin. */
export class LastAdminError extends Error {}

/**
 * The last-admin rule, checked inside the write statement itself: a row that is an admin may
 * change only while another admin exists. D1 runs statements one at a time, so two admins
 * demoting or deleting each other at the same moment can never both pass.
 */
function keepsAnAdmin(id: string) {
  return or(
    ne(users.role, "admin"),
    sql`EXISTS (SELECT 1 FROM ${users} AS other WHERE other.role = 'admin' AND other.id <> ${id})`,
  );
}

async function exists(db: D1Database, id: string): Promise<boolean> {
  return (await drizzle(db).select({ id: users.id }).from(users).where(eq(users.id, id)).get()) !== undefined;
}

/** Changes a user's role; returns null when the user does not exist. */
export async function updateUserRole(db: D1Database, id: string, role: Role): Promise<PublicUser | null> {
  const [row] = await drizzle(db)
    .update(users)
    .set({ role, updatedAt: Date.now() })
    .where(role === "admin" ? eq(users.id, id) : and(eq(users.id, id), keepsAnAdmin(id)))
    .returning();
  forgetUser(id);
  if (row) return toPublic(row);
  if (await exists(db, id)) throw new LastAdminError("cannot demote the last admin");
  return null;
}

/** Deletes a user; returns false when the user does not exist. */
export async function deleteUser(db: D1Database, id: string): Promise<boolean> {
  const deleted = await drizzle(db)
    .delete(users)
    .where(and(eq(users.id, id), keepsAnAdmin(id)))
    .returning({ id: users.id });
  forgetUser(id);
  if (deleted.length > 0) return true;
  if (await exists(db, id)) throw new LastAdminError("cannot delete the last admin");
  return false;
}
