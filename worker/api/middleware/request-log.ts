import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../types";

/**
 * Writes one JSON line per request: method, path, status, ms, cache, D1 queries and ms, and user id. The query
 * string, headers and bodies are left out on purpose: they may carry tokens or passwords.
 */
export function requestLog() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = Date.now();
    await next();
    console.log(
      JSON.stringify({
        at: new Date(started).toISOString(),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Date.now() - started,
        cache: c.get("cache") ?? null,
        d1: c.get("timings")?.d1Queries ?? null,
        d1Ms: Math.round(c.get("timings")?.d1Ms ?? 0),
        user: c.get("user")?.id ?? null,
        ray: c.req.header("cf-ray") ?? null,
      }),
    );
  });
}
