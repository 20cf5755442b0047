import type { Context } from "hono";
import { roleAtLeast } from "./middleware/auth";
import type { AppEnv } from "./types";

/** Request header carrying a D1 bookmark (from an earlier response) for read-your-writes. */
export const BOOKMARK_HEADER = "x-d1-bookmark";

const sessions = new WeakMap<Request, D1DatabaseSession>();

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
