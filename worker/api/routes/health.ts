import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { jsonResponse, problemResponses } from "../schemas/common";
import type { AppEnv } from "../types";

/** A dependency slower than this counts as failed: health must answer even when one hangs. */
const CHECK_TIMEOUT_MS = 2000;

const CheckSchema = z.object({
  ok: z.boolean(),
  ms: z.number().int(),
  error: z.string().optional().openapi({ description: "Short reason, never internals" }),
});

const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    checks: z.object({ d1: CheckSchema, kv: CheckSchema, r2: CheckSchema }),
  })
  .openapi("Health");

async function check(name: string, probe: () => Promise<unknown>): Promise<z.infer<typeof CheckSchema>> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("timeout")), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    console.error(JSON.stringify({ event: "health-check-failed", check: name, message: String(error) }));
    const timedOut = error instanceof Error && error.message === "timeout";
    return { ok: false, ms: Math.round(performance.now() - started), error: timedOut ? "timeout" : "unavailable" };
  } finally {
    clearTimeout(timer);
  }
}

/** GET /health: liveness plus one cheap round trip to D1, KV and R2 each; GET /health/live: no dependency. */
export const healthRoutes = new OpenAPIHono<AppEnv>();

healthRoutes.openapi(
  createRoute({
    method: "get",
    path: "/health/live",
    summary: "Liveness only: touches no dependency (the floor a cached answer is compared with)",
    responses: {
      200: {
        description: "The Worker runs",
        content: { "application/json": { schema: z.object({ status: z.literal("ok") }).openapi("Live") } },
      },
      ...problemResponses(500),
    },
  }),
  (c) => c.json({ status: "ok" as const }, 200, { "Cache-Control": "no-store" }),
);

healthRoutes.openapi(
  createRoute({
    method: "get",
    path: "/health",
    summary: "Liveness and dependency checks (public)",
    responses: {
      200: jsonResponse(HealthSchema, "All dependencies answer"),
      503: jsonResponse(HealthSchema, "A dependency failed"),
    },
  }),
  async (c) => {
    const [d1, kv, r2] = await Promise.all([
      check("d1", () => c.env.DB.prepare("SELECT 1").first()),
      check("kv", () => c.env.CACHE.get("health:probe")),
      check("r2", () => c.env.UPLOADS.head("health/probe")),
    ]);
    const ok = d1.ok && kv.ok && r2.ok;
    const body = { status: ok ? ("ok" as const) : ("degraded" as const), checks: { d1, kv, r2 } };
    return ok ? c.json(body, 200, { "Cache-Control": "no-store" }) : c.json(body, 503, { "Cache-Control": "no-store" });
  },
);
