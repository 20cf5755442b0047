import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../types";

/** CORS for the configured web origins only (WEB_ORIGINS, comma-separated); others get no CORS headers. */
export function webCors() {
  return createMiddleware<AppEnv>((c, next) => {
    const allowed = new Set(
      (c.env.WEB_ORIGINS ?? "")
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
    );
    return cors({
      origin: (origin) => (allowed.has(origin) ? origin : null),
      allowHeaders: ["Authorization", "Content-Type", "If-None-Match", "Accept"],
      allowMethods: ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
      exposeHeaders: ["ETag", "X-Cache", "Retry-After", "Location", "WWW-Authenticate"],
      maxAge: 600,
    })(c, next);
  });
}
