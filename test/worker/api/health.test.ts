import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../../worker/api/app";
import { call, problem } from "./helpers";

describe("GET /health", () => {
  it("reports D1, KV and R2 with latency", async () => {
    const res = await call("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: "ok",
      checks: {
        d1: { ok: true, ms: expect.any(Number) },
        kv: { ok: true, ms: expect.any(Number) },
        r2: { ok: true, ms: expect.any(Number) },
      },
    });
  });

  it("answers 503 naming the failed dependency, without internals", async () => {
    const broken = { get: () => Promise.reject(new Error("secret internal detail")) } as unknown as KVNamespace;
    const res = await app.request("/health", {}, { ...env, CACHE: broken });
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean; error?: string }> };
    expect(body.status).toBe("degraded");
    expect(body.checks.kv).toMatchObject({ ok: false, error: "unavailable" });
    expect(body.checks.d1?.ok).toBe(true);
    expect(JSON.stringify(body)).not.toContain("secret internal detail");
  });
});

describe("cross-cutting behaviour", () => {
  it("sends CORS headers to the configured web origins only", async () => {
    const allowed = env.WEB_ORIGINS.split(",")[0] as string;
    const ok = await call("/api/v1/years", {
      method: "OPTIONS",
      headers: { Origin: allowed, "Access-Control-Request-Method": "GET" },
    });
    expect(ok.headers.get("access-control-allow-origin")).toBe(allowed);
    expect(ok.headers.get("access-control-allow-headers")).toMatch(/Authorization/i);
    const other = await call("/health", { headers: { Origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers unknown routes with a 404 problem", async () => {
    const res = await call("/nope");
    expect(res.status).toBe(404);
    expect((await problem(res)).detail).toMatch(/no route for GET \/nope/);
  });

  it("turns unexpected failures into a 500 problem without internals", async () => {
    const failingDb = {
      prepare: () => {
        throw new Error("D1_ERROR: no such table: secret_internal_table");
      },
    } as unknown as D1Database;
    const res = await app.request(
      "/api/v1/auth/token",
      {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": "203.0.113.9" },
        body: JSON.stringify({ email: "a@b.c", password: "x" }),
      },
      { ...env, DB: failingDb },
    );
    expect(res.status).toBe(500);
    const body = await problem(res);
    expect(JSON.stringify(body)).not.toMatch(/secret_internal_table|D1_ERROR|at /);
    expect(body.detail).toMatch(/incident [0-9a-f-]{36}/);
  });
});
