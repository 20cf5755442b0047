import { and, desc, eq, gt, isNull, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Role } from "../../domain/roles";
import { apiKeys, users } from "../db/schema/auth";
import { toBase64Url } from "./encoding";

/**
 * `egk_<id>_<secret>`: a fixed prefix secret scanners can match, the key's 8-character id
 * (shown in lists, so a leaked key can be named) and 32 random bytes in base64url.
 */
export const API_KEY_PATTERN = /^egk_([a-z2-7]{8})_([A-Za-z0-9_-]{43})$/;
const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
const SECRET_BYTES = 32;
/** last_used_at is written at most this often per key, so busy keys cost no write per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;
/** Each user may hold this many keys that are neither revoked nor expired. */
export const MAX_ACTIVE_KEYS = 20;

/** A key as its owner sees it in a list: never the secret or its hash. */
export interface PublicApiKey {
  id: string;
  prefix: string;
  name: string;
  userId: string;
  /** The owner's email, for admins revoking other users' keys. */
  userEmail: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

type KeyRow = typeof apiKeys.$inferSelect;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toPublic(row: KeyRow, userEmail: string): PublicApiKey {
  return {
    id: row.id,
    prefix: `egk_${row.id}_`,
    name: row.name,
    userId: row.userId,
    userEmail,
    createdAt: new Date(row.createdAt).toISOString(),
    expiresAt: iso(row.expiresAt),
    lastUsedAt: iso(row.lastUsedAt),
    revokedAt: iso(row.revokedAt),
  };
}

function randomId(): string {
  // 256 is a multiple of 32: taking each byte modulo 32 is unbiased.
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => ID_ALPHABET[b % 32]).join("");
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** Thrown when a user already holds MAX_ACTIVE_KEYS usable keys. */
export class TooManyKeysError extends Error {}

/** Creates a key for `userId`; the returned `secret` exists only in this answer. */
export async function createApiKey(
  db: D1Database,
  input: { userId: string; userEmail: string; name: string; expiresAt: number | null },
  now = Date.now(),
): Promise<PublicApiKey & { secret: string }> {
  const active = await drizzle(db)
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.userId, input.userId),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
      ),
    )
    .all();
  if (active.length >= MAX_ACTIVE_KEYS) {
    throw new TooManyKeysError(`you already have ${MAX_ACTIVE_KEYS} active keys; revoke one you no longer use`);
  }
  const id = randomId();
  const secret = `egk_${id}_${toBase64Url(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)))}`;
  const row: KeyRow = {
    id,
    userId: input.userId,
    name: input.name,
    secretHash: toBase64Url(await sha256(secret)),
    createdAt: now,
    expiresAt: input.expiresAt,
    lastUsedAt: null,
    revokedAt: null,
  };
  // 40 random bits: a collision is so unlikely that the primary key refusing it is enough.
  await drizzle(db).insert(apiKeys).values(row);
  return { ...toPublic(row, input.userEmail), secret };
}

/** A user's keys (or everyone's when `userId` is null), newest first. */
export async function listApiKeys(db: D1Database, userId: string | null): Promise<PublicApiKey[]> {
  const rows = await drizzle(db)
    .select({ key: apiKeys, email: users.email })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(userId === null ? undefined : eq(apiKeys.userId, userId))
    .orderBy(desc(apiKeys.createdAt))
    .all();
  return rows.map((r) => toPublic(r.key, r.email));
}

/** The key row by id, or null. */
export async function findApiKey(db: D1Database, id: string): Promise<PublicApiKey | null> {
  const row = await drizzle(db)
    .select({ key: apiKeys, email: users.email })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(eq(apiKeys.id, id))
    .get();
  return row ? toPublic(row.key, row.email) : null;
}

/** Marks a key revoked (idempotent: the first revocation time is kept). */
export async function revokeApiKey(db: D1Database, id: string, now = Date.now()): Promise<void> {
  await drizzle(db)
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
}

/** Why a presented key was refused, in words safe to show the client. */
export class InvalidApiKeyError extends Error {}

/** Compares without stopping at the first difference (the hash of the presented key vs the stored one). */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * The owner of a presented key, read from D1 on every request together with the key (no cache:
 * a revocation, expiry, role change or deletion applies to the very next request everywhere).
 * Refreshes last_used_at when it is older than LAST_USED_RESOLUTION_MS.
 */
export async function authenticateApiKey(
  db: D1Database,
  presented: string,
  now = Date.now(),
): Promise<{ id: string; email: string; role: Role; keyId: string }> {
  const match = API_KEY_PATTERN.exec(presented);
  if (!match?.[1]) throw new InvalidApiKeyError("API key is malformed");
  const row = await drizzle(db)
    .select({ key: apiKeys, user: { id: users.id, email: users.email, role: users.role } })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(eq(apiKeys.id, match[1]))
    .get();
  const hash = toBase64Url(await sha256(presented));
  // The id is public (it is in the key); only the secret part must not leak through timing.
  if (!row || !constantTimeEqual(hash, row.key.secretHash)) throw new InvalidApiKeyError("API key is not valid");
  if (row.key.revokedAt !== null) throw new InvalidApiKeyError("API key was revoked");
  if (row.key.expiresAt !== null && row.key.expiresAt <= now) throw new InvalidApiKeyError("API key expired");
  if (row.key.lastUsedAt === null || row.key.lastUsedAt < now - LAST_USED_RESOLUTION_MS) {
    await drizzle(db)
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(apiKeys.id, row.key.id),
          or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, now - LAST_USED_RESOLUTION_MS)),
        ),
      );
  }
  return { ...row.user, keyId: row.key.id };
}
