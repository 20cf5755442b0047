import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, loginAdmin, problem, userWithRole } from "./helpers";

let admin: string;
beforeAll(async () => {
  admin = await loginAdmin();
});

interface CreatedKey {
  id: string;
  prefix: string;
  name: string;
  secret: string;
  expiresAt: string | null;
}

async function createKey(token: string, body: Record<string, unknown> = { name: "script" }): Promise<CreatedKey> {
  const res = await call("/api/v1/keys", {
    method: "POST",
    token,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`create key: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreatedKey;
}

const revoke = (id: string, token: string) => call(`/api/v1/keys/${id}`, { method: "DELETE", token });
const keyRow = (id: string) =>
  env.DB.prepare("SELECT * FROM api_keys WHERE id = ?1").bind(id).first<Record<string, unknown>>();

describe("API keys", () => {
  it("creates a key shown once, stores only its hash, and the key works as a Bearer credential", async () => {
    const analyst = await userWithRole("analyst");
    const key = await createKey(analyst.token, { name: "nightly export" });
    expect(key.secret).toMatch(/^egk_[a-z2-7]{8}_[A-Za-z0-9_-]{43}$/);
    expect(key.secret.startsWith(key.prefix)).toBe(true);
    expect(key.prefix).toBe(`egk_${key.id}_`);

    const row = await keyRow(key.id);
    expect(JSON.stringify(row)).not.toContain(key.secret.slice(key.prefix.length));

    const list = await call("/api/v1/keys", { token: analyst.token });
    const body = (await list.json()) as { data: Record<string, unknown>[] };
    expect(body.data).toEqual([
      expect.objectContaining({ id: key.id, name: "nightly export", userEmail: analyst.email, revokedAt: null }),
    ]);
    expect(JSON.stringify(body)).not.toContain(key.secret.slice(key.prefix.length));
    expect(JSON.stringify(body)).not.toMatch(/secret|hash/i);

    const years = await call("/api/v1/years", { token: key.secret });
    expect(years.status).toBe(200);
    // The owner's role: an analyst's key cannot reach owner routes.
    expect((await call("/api/v1/ingestions", { token: key.secret })).status).toBe(403);
  });

  it("a revoked key gets 401 on the very next request", async () => {
    const user = await userWithRole("analyst");
    const key = await createKey(user.token);
    expect((await call("/api/v1/years", { token: key.secret })).status).toBe(200);
    expect((await revoke(key.id, user.token)).status).toBe(204);
    const after = await call("/api/v1/years", { token: key.secret });
    expect(after.status).toBe(401);
    expect((await problem(after)).detail).toMatch(/revoked/);
    const listed = (await (await call("/api/v1/keys", { token: user.token })).json()) as {
      data: { id: string; revokedAt: string | null }[];
    };
    expect(listed.data.find((k) => k.id === key.id)?.revokedAt).toEqual(expect.any(String));
  });

  it("an expired key gets 401; an expiry in the past is refused at creation", async () => {
    const user = await userWithRole("analyst");
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const key = await createKey(user.token, { name: "short", expiresAt: soon });
    expect(key.expiresAt).toBe(soon);
    expect((await call("/api/v1/years", { token: key.secret })).status).toBe(200);
    await env.DB.prepare("UPDATE api_keys SET expires_at = ?1 WHERE id = ?2")
      .bind(Date.now() - 1, key.id)
      .run();
    const after = await call("/api/v1/years", { token: key.secret });
    expect(after.status).toBe(401);
    expect((await problem(after)).detail).toMatch(/expired/);

    const past = await call("/api/v1/keys", {
      method: "POST",
      token: user.token,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "old", expiresAt: "2020-01-01T00:00:00Z" }),
    });
    expect(past.status).toBe(400);
    expect((await problem(past)).detail).toMatch(/expiresAt.*not in the future/);
  });

  it("acts with the owner's current role and stops when the owner is deleted", async () => {
    const user = await userWithRole("analyst");
    const key = await createKey(user.token);
    expect((await call("/api/v1/ingestions", { token: key.secret })).status).toBe(403);
    const patch = (role: string) =>
      call(`/api/v1/users/${user.id}`, {
        method: "PATCH",
        token: admin,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ role }),
      });
    expect((await patch("owner")).status).toBe(200);
    expect((await call("/api/v1/ingestions", { token: key.secret })).status).toBe(200);
    expect((await call(`/api/v1/users/${user.id}`, { method: "DELETE", token: admin })).status).toBe(204);
    expect((await call("/api/v1/years", { token: key.secret })).status).toBe(401);
    expect(await keyRow(key.id)).toBeNull();
  });

  it("refuses a forged secret under a real key id, and a key with the right shape but unknown id", async () => {
    const user = await userWithRole("analyst");
    const key = await createKey(user.token);
    const forged = `${key.prefix}${"A".repeat(43)}`;
    const res = await call("/api/v1/years", { token: forged });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/invalid_token/);
    expect((await call("/api/v1/years", { token: `egk_aaaaaaaa_${"B".repeat(43)}` })).status).toBe(401);
  });

  it("only the owner or an admin revokes a key; others get 404; keys cannot create keys", async () => {
    const alice = await userWithRole("owner");
    const bob = await userWithRole("owner");
    const key = await createKey(alice.token);
    expect((await revoke(key.id, bob.token)).status).toBe(404);
    expect((await call("/api/v1/years", { token: key.secret })).status).toBe(200);
    const bobsList = (await (await call("/api/v1/keys", { token: bob.token })).json()) as { data: unknown[] };
    expect(bobsList.data).toEqual([]);
    const adminsList = (await (await call("/api/v1/keys", { token: admin })).json()) as { data: unknown[] };
    expect(adminsList.data).toContainEqual(expect.objectContaining({ id: key.id, userEmail: alice.email }));

    const byKey = await call("/api/v1/keys", {
      method: "POST",
      token: key.secret,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "child" }),
    });
    expect(byKey.status).toBe(403);

    expect((await revoke(key.id, admin)).status).toBe(204);
    expect((await call("/api/v1/years", { token: key.secret })).status).toBe(401);
  });

  it("writes last_used_at on first use and then at most once a minute", async () => {
    const user = await userWithRole("analyst");
    const key = await createKey(user.token);
    expect((await keyRow(key.id))?.last_used_at).toBeNull();
    await call("/api/v1/years", { token: key.secret });
    const first = (await keyRow(key.id))?.last_used_at as number;
    expect(first).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 5));
    await call("/api/v1/years", { token: key.secret });
    expect((await keyRow(key.id))?.last_used_at).toBe(first);
    await env.DB.prepare("UPDATE api_keys SET last_used_at = ?1 WHERE id = ?2")
      .bind(first - 61_000, key.id)
      .run();
    await call("/api/v1/years", { token: key.secret });
    expect((await keyRow(key.id))?.last_used_at).toBeGreaterThanOrEqual(first);
  });

  it("validates the name, and OpenAPI documents the routes", async () => {
    const user = await userWithRole("analyst");
    const blank = await call("/api/v1/keys", {
      method: "POST",
      token: user.token,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "  " }),
    });
    expect(blank.status).toBe(400);
    expect((await problem(blank)).detail).toMatch(/name/);
    const doc = (await (await call("/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths["/api/v1/keys"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/v1/keys/{id}"] ?? {})).toEqual(["delete"]);
  });
});
