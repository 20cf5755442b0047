import { createMiddleware } from "hono/factory";
import { BOOKMARK_HEADER, checkBookmark, sessionBookmark } from "../d1-session";
import { ProblemError, problemResponse } from "../problem";
import { type BindingTimes, timedD1, timedKv } from "../timed-bindings";
import type { AppEnv } from "../types";

const ms = (value: number) => value.toFixed(1);

/**
 * Adds `Server-Timing` (W3C Server Timing) to every response: `d1` (desc = statements run, a
 * batch counting each; dur = the sum of their times, which exceeds wall time when they overlap),
 * `d1-trips` (desc = D1 round trips one after another: what a far location pays), `kv`, `cache` (desc = HIT / MISS / NOT_MODIFIED, when the route caches) and `total`,
 * so the cost of each answer shows in browser devtools. Counts by handing the rest of the
 * request wrapped DB and CACHE bindings. Also returns the D1 session bookmark, if any, as
 * `x-d1-bookmark` for read-your-writes (see d1-session.ts), and refuses a malformed one (400).
 */
export function serverTiming() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    const times: BindingTimes = { d1Queries: 0, d1RoundTrips: 0, d1InFlight: 0, d1Ms: 0, kvCalls: 0, kvMs: 0 };
    c.env = { ...c.env, DB: timedD1(c.env.DB, times), CACHE: timedKv(c.env.CACHE, times) };
    c.set("timings", times);
    try {
      checkBookmark(c.req.header(BOOKMARK_HEADER));
      await next();
    } catch (error) {
      // Thrown here, before next(): Hono's compose has not turned it into a response yet.
      if (!(error instanceof ProblemError)) throw error;
      c.res = problemResponse(error, c.req.path);
    }
    const cache = c.get("cache");
    const metrics = [
      `d1;desc="${times.d1Queries}";dur=${ms(times.d1Ms)}`,
      `d1-trips;desc="${times.d1RoundTrips}"`,
      `kv;desc="${times.kvCalls}";dur=${ms(times.kvMs)}`,
      ...(cache ? [`cache;desc=${cache}`] : []),
      `total;dur=${ms(performance.now() - started)}`,
    ];
    const bookmark = sessionBookmark(c);
    try {
      c.res.headers.set("Server-Timing", metrics.join(", "));
      if (bookmark) c.res.headers.set(BOOKMARK_HEADER, bookmark);
    } catch {
      // Immutable headers (a response passed through from fetch): copy it once.
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set("Server-Timing", metrics.join(", "));
      if (bookmark) c.res.headers.set(BOOKMARK_HEADER, bookmark);
    }
  });
}
