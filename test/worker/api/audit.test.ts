import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import worker from "../../../worker";
import { AUDIT_RETENTION_DAYS, PRUNE_BATCH, pruneAudit } from "../../../worker/auth/audit";
import { genCsv, syntheticRows } from "../helpers/gen-csv";
import { ingestCsv } from "../helpers/ingest";
import { call, freshIp, loginAdmin, problem, userWithRole } from "./helpers";

interface Entry {
  id: number;
  at: string;
  action: string;
  actor: { id: string | null; email: string | null };
  ip: string | null;
  target: string | null;
  detail: Record<string, unknown>;
}

let admin: string;
beforeAll(async () => {
  admin = await loginAdmin();
});
afterEach(() => vi.restoreAllMocks());

async function trail(query = "", token = admin): Promise<{ data: Entry[]; nextCursor: string | null }> {
  const res = await call(`/api/v1/audit${query}`, { token });
  if (res.status !== 200) throw new Error(`audit: ${res.status} ${await res.text()}`);
  return (await res.json()) as { data: Entry[]; nextCursor: string | null };
}

const postJson = (path: string, body: unknown, token: string, headers: Record<string, string> = {}) =>
  call(path, {
    method: "POST",
    token,
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

async function allRows(): Promise<string> {
  const { results } = await env.DB.prepare("SELECT * FROM audit_log").all();
  return JSON.stringify(results);
}

describe("audit trail", () => {
  it("records sign-ins that succeed and fail, with who and from where, and never the password", async () => {
    const user = await userWithRole("analyst");
    const ip = freshIp();
    const wrong = "Wrong-Password-4711-zebra";
    const failed = await postJson("/api/v1/auth/token", { email: user.email, password: wrong }, "", {
      "CF-Connecting-IP": ip,
    });
    expect(failed.status).toBe(401);
    const ok = await postJson("/api/v1/auth/token", { email: user.email, password: user.password }, "", {
      "CF-Connecting-IP": ip,
    });
    expect(ok.status).toBe(200);
    const { data } = await trail(
      `?actor=${encodeURIComponent(user.email.toUpperCase())}&action=auth.login,auth.login-failed`,
    );
    expect(data.slice(0, 2)).toEqual([
      expect.objectContaining({ action: "auth.login", actor: { id: user.id, email: user.email }, ip, target: user.id }),
      expect.objectContaining({ action: "auth.login-failed", actor: { id: user.id, email: user.email }, ip }),
    ]);
    const all = await allRows();
    expect(all).not.toContain(wrong);
    expect(all).not.toContain(user.password);
  });

  it("records user and role changes and key creation and revocation, never the key secret", async () => {
    const created = await postJson(
      "/api/v1/users",
      { email: "audited@test.local", password: "correct horse battery", role: "analyst" },
      admin,
    );
    const user = (await created.json()) as { id: string };
    const patched = await call(`/api/v1/users/${user.id}`, {
      method: "PATCH",
      token: admin,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ role: "owner" }),
    });
    expect(patched.status).toBe(200);
    const owner = await userWithRole("owner");
    const keyRes = await postJson("/api/v1/keys", { name: "ci" }, owner.token);
    const key = (await keyRes.json()) as { id: string; secret: string };
    // A request made with the key is attributed to the key in the detail.
    expect((await call(`/api/v1/keys/${key.id}`, { method: "DELETE", token: key.secret })).status).toBe(204);
    expect((await call(`/api/v1/users/${user.id}`, { method: "DELETE", token: admin })).status).toBe(204);

    const users = await trail(`?action=user.create,user.role,user.delete&limit=3`);
    expect(users.data.map((e) => [e.action, e.target])).toEqual([
      ["user.delete", user.id],
      ["user.role", user.id],
      ["user.create", user.id],
    ]);
    expect(users.data[1]?.detail).toMatchObject({ role: "owner" });
    expect(users.data[2]?.actor.email).toBe(env.ADMIN_EMAIL);
    const keys = await trail(`?action=key.create,key.revoke&actor=${owner.id}`);
    expect(keys.data.map((e) => [e.action, e.target])).toEqual([
      ["key.revoke", key.id],
      ["key.create", key.id],
    ]);
    expect(keys.data[0]?.detail).toMatchObject({ apiKey: key.id, name: "ci" });
    expect(await allRows()).not.toContain(key.secret.slice(13));
    expect(await allRows()).not.toContain("correct horse battery");
  });

  it("records uploads, publishing and withdrawing a year", async () => {
    const owner = await userWithRole("owner");
    const upload = await call("/api/v1/uploads", {
      method: "POST",
      token: owner.token,
      headers: { "Content-Type": "text/csv" },
      body: genCsv(syntheticRows(5, 2006)),
    });
    expect(upload.status).toBe(202);
    const { ingestionId } = (await upload.json()) as { ingestionId: string };
    const first = await ingestCsv(genCsv(syntheticRows(5, 2007)));
    expect((await call("/api/v1/datasets/2007/active", { method: "DELETE", token: owner.token })).status).toBe(200);
    const publish = await postJson("/api/v1/datasets/2007/active", { ingestionId: first.id }, owner.token);
    expect(publish.status).toBe(200);

    const { data } = await trail(`?actor=${owner.id}`);
    expect(data.map((e) => [e.action, e.target])).toEqual([
      ["dataset.publish", "2007"],
      ["dataset.withdraw", "2007"],
      ["upload.create", ingestionId],
      ["auth.login", owner.id],
    ]);
    expect(data[0]?.detail).toEqual({ ingestionId: first.id });
  });

  it("pages newest first with a cursor and filters by time", async () => {
    const owner = await userWithRole("owner");
    for (let i = 0; i < 5; i++) await postJson("/api/v1/keys", { name: `k${i}` }, owner.token);
    const seen: Entry[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page = await trail(`?actor=${owner.id}&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data);
      cursor = page.nextCursor;
    }
    // userWithRole signs in once: 1 login + 5 keys.
    expect(seen.map((e) => e.action)).toEqual([...Array(5).fill("key.create"), "auth.login"]);
    expect(seen.map((e) => e.detail.name)).toEqual(["k4", "k3", "k2", "k1", "k0", undefined]);
    const ids = seen.map((e) => e.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);

    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await trail(`?actor=${owner.id}&since=${encodeURIComponent(future)}`)).data).toEqual([]);
    const all = await trail(`?actor=${owner.id}&until=${encodeURIComponent(future)}`);
    expect(all.data).toHaveLength(6);
  });

  it("is for admins only and explains bad filters", async () => {
    const owner = await userWithRole("owner");
    expect((await call("/api/v1/audit", { token: owner.token })).status).toBe(403);
    const bad = await call("/api/v1/audit?action=auth.nope", { token: admin });
    expect(bad.status).toBe(400);
    expect((await problem(bad)).detail).toMatch(/unknown action auth\.nope; one of auth\.login/);
    const badCursor = await call("/api/v1/audit?cursor=abc", { token: admin });
    expect(badCursor.status).toBe(400);
  });

  it("a failing audit write is logged and does not fail the action", async () => {
    const owner = await userWithRole("owner");
    const logged: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: string) => void logged.push(String(line)));
    await env.DB.exec("ALTER TABLE audit_log RENAME TO audit_log_away");
    try {
      const res = await postJson("/api/v1/keys", { name: "still works" }, owner.token);
      expect(res.status).toBe(201);
    } finally {
      await env.DB.exec("ALTER TABLE audit_log_away RENAME TO audit_log");
    }
    expect(logged.some((l) => l.includes('"event":"audit-write-failed"') && l.includes("key.create"))).toBe(true);
  });

  it("prunes entries older than the retention in bounded batches, keeping newer ones", async () => {
    const now = Date.now();
    const old = now - (AUDIT_RETENTION_DAYS * 24 + 1) * 3_600_000;
    const count = Math.floor(PRUNE_BATCH * 2.5);
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
       INSERT INTO audit_log (at, action, detail) SELECT ?2, 'auth.login', '{}' FROM n`,
    )
      .bind(count, old)
      .run();
    const kept = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE at >= ?1")
      .bind(old + 1)
      .first<{ n: number }>();
    expect(await pruneAudit(env.DB, now)).toBe(count);
    const left = await env.DB.prepare("SELECT count(*) AS n, min(at) AS oldest FROM audit_log").first<{
      n: number;
      oldest: number;
    }>();
    expect(left?.n).toBe(kept?.n);
    expect(left?.oldest).toBeGreaterThan(old);
  });

  it("the cron prunes the trail", async () => {
    const old = Date.now() - (AUDIT_RETENTION_DAYS * 24 + 1) * 3_600_000;
    await env.DB.prepare("INSERT INTO audit_log (at, action, detail) VALUES (?1, 'import.run', '{}')").bind(old).run();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController(), env, ctx);
    await waitOnExecutionContext(ctx);
    const left = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE at <= ?1")
      .bind(old)
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
  });
});
