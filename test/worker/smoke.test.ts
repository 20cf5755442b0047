import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("toolchain", () => {
  it("has migrated D1 and serves health", async () => {
    const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='plants'").all();
    expect(tables.results).toHaveLength(1);
    const res = await (exports.default as Fetcher).fetch("http://x/health");
    expect(res.status).toBe(200);
  });
});
