import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { loginFailures } from "../db/schema/auth";

/** Failed sign-ins an account is allowed before each further failure blocks it for a while. */
export const FREE_FAILURES = 5;
/** The first block lasts this long; each further failure doubles it, up to BLOCK_CAP_MS. */
export const FIRST_BLOCK_MS = 1_000;
/** Never longer: the account's owner can always sign in again within this time. */
export const BLOCK_CAP_MS = 15 * 60 * 1_000;
/** Failures are forgotten after this long without a new one. */
export const FAILURE_MEMORY_MS = 60 * 60 * 1_000;

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;

/**
 * The network a client is in, for the per-network sign-in limit: the IPv4 address, or the /64 of
 * an IPv6 address (one subscriber usually holds a whole /64, so rotating addresses within it
 * gains nothing). Null when unknown. The address is Cloudflare's `CF-Connecting-IP`, which
 * Cloudflare sets on every request it forwards (a client's own value is overwritten); locally,
 * with no Cloudflare in front, the header is absent or the client's own (see docs/api.md).
 */
export function clientNetwork(headers: Headers): string | null {
  const ip = headers.get("cf-connecting-ip")?.trim();
  if (!ip) return null;
  if (!ip.includes(":")) return ip;
  const [head = "", tail = ""] = ip.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = ip.includes("::")
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => (g || "0").replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/** Milliseconds until the account may try again, or 0. */
export async function accountBlockedFor(db: D1Database, email: string, now = Date.now()): Promise<number> {
  const row = await drizzle(db)
    .select({ blockedUntil: loginFailures.blockedUntil })
    .from(loginFailures)
    .where(eq(loginFailures.key, accountKey(email)))
    .get();
  return Math.max(0, (row?.blockedUntil ?? 0) - now);
}

/**
 * Records a failed sign-in for the account, in one statement (concurrent failures all count):
 * failures older than FAILURE_MEMORY_MS are forgotten; past FREE_FAILURES the account is blocked
 * for FIRST_BLOCK_MS, doubling with each further failure, capped at BLOCK_CAP_MS.
 */
export async function recordFailure(db: D1Database, email: string, now = Date.now()): Promise<void> {
  const count = sql`CASE WHEN ${loginFailures.lastFailureAt} < ${now - FAILURE_MEMORY_MS} THEN 1 ELSE ${loginFailures.failures} + 1 END`;
  await drizzle(db)
    .insert(loginFailures)
    .values({ key: accountKey(email), failures: 1, lastFailureAt: now, blockedUntil: null })
    .onConflictDoUpdate({
      target: loginFailures.key,
      set: {
        failures: count,
        lastFailureAt: now,
        blockedUntil: sql`CASE WHEN ${count} > ${FREE_FAILURES}
          THEN ${now} + min(${BLOCK_CAP_MS}, ${FIRST_BLOCK_MS} * (1 << min(30, ${count} - ${FREE_FAILURES + 1})))
          ELSE NULL END`,
      },
    });
}

/** A successful sign-in forgets the account's failures. */
export async function clearFailures(db: D1Database, email: string): Promise<void> {
  await drizzle(db)
    .delete(loginFailures)
    .where(eq(loginFailures.key, accountKey(email)));
}
