import type { Context } from "hono";
import { roleAtLeast } from "./middleware/auth";
import { ProblemError } from "./problem";
import type { AppEnv } from "./types";

/** Request header carrying a D1 bookmark (from an earlier response) for read-your-writes. */
export const BOOKMARK_HEADER = "x-d1-bookmark";

const sessions = new WeakMap<Request, D1DatabaseSession>();

/** D1's bookmark format, e.g. 00000000-00000017-00000000-<32 hex digits>. */
const BOOKMARK_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/i;

/** Refuses a malformed x-d1-bookmark before anything runs: D1 would fail the query with a 500 instead. */
export function checkBookmark(header: string | undefined): void {
  const value = header?.trim();
  if (value && !BOOKMARK_PATTERN.test(value)) {
    throw new ProblemError(
      400,
      "invalid-bookmark",
      "Invalid D1 bookmark",
      `${BOOKMARK_HEADER} must be a bookmark this API returned in an earlier response's ${BOOKMARK_HEADER} header (4 hex groups, e.g. 00000000-00000017-00000000-${"0".repeat(32)}); omit the header to read without one`,
    );
  }
}

/**
 * The request's D1 read session (D1 Sessions API), created once per request. With read
 * replication on, "first-unconstrained" lets the first query go to the nearest replica; a client
 * that sends back the `x-d1-bookmark` of an earlier response (e.g. after its upload or
 * activation) reads a replica at least that fresh; owners and admins start at the primary so
 * they see their own changes. Returned typed as D1Database: the query modules only use
 * prepare() and batch(), which a session has.
 */
export function readSession(c: Context<AppEnv>): D1Database {
  let session = sessions.get(c.req.raw);
  if (!session) {
    const user = c.get("user");
    const bookmark = c.req.header(BOOKMARK_HEADER)?.trim();
    const constraint = bookmark || (user && roleAtLeast(user.role, "owner") ? "first-primary" : "first-unconstrained");
    session = c.env.DB.withSession(constraint);
    sessions.set(c.req.raw, session);
  }
  return session as unknown as D1Database;
}

/** The bookmark of the request's session, if it made one: the client sends it back for read-your-writes. */
export function sessionBookmark(c: Context<AppEnv>): string | null {
  return sessions.get(c.req.raw)?.getBookmark() ?? null;
}
