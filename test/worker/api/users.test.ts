import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, login, loginAdmin, problem } from "./helpers";

let admin: string;
beforeAll(async () => {
  admin = await loginAdmin();
});

function json(method: string, path: string, body: unknown, token = admin) {
  return call(path, { method, token, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

describe("admin user endpoints", () => {
  it("adds, lists, changes the role of and removes a user; the change applies to existing tokens", async () => {
    const created = await json("POST", "/api/v1/users", {
      email: "New.Analyst@Test.local",
      password: "correct horse battery",
      role: "analyst",
    });
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: string; email: string; role: string };
    expect(user).toMatchObject({ email: "new.analyst@test.local", role: "analyst" });
    expect(JSON.stringify(user)).not.toMatch(/password|hash|salt/i);
    expect(created.headers.get("location")).toBe(`/api/v1/users/${user.id}`);

    const list = (await (await call("/api/v1/users", { token: admin })).json()) as { data: { email: string }[] };
    expect(list.data.map((u) => u.email)).toContain("new.analyst@test.local");

    const token = await login("new.analyst@test.local", "correct horse battery");
    expect((await call("/api/v1/ingestions", { token })).status).toBe(403);
    const promoted = await json("PATCH", `/api/v1/users/${user.id}`, { role: "owner" });
    expect(promoted.status).toBe(200);
    // Same token, new role: roles come from D1, not from the token.
    expect((await call("/api/v1/ingestions", { token })).status).toBe(200);
    await json("PATCH", `/api/v1/users/${user.id}`, { role: "analyst" });
    expect((await call("/api/v1/ingestions", { token })).status).toBe(403);

    const removed = await call(`/api/v1/users/${user.id}`, { method: "DELETE", token: admin });
    expect(removed.status).toBe(204);
    const after = await call("/api/v1/years", { token });
    expect(after.status).toBe(401);
    expect((await problem(after)).detail).toMatch(/no longer exists/);
  });

  it("rejects a duplicate email, a short password and an unknown role with problems", async () => {
    const body = { email: "dup@test.local", password: "long enough password", role: "analyst" };
    expect((await json("POST", "/api/v1/users", body)).status).toBe(201);
    const duplicate = await json("POST", "/api/v1/users", { ...body, email: "DUP@test.local" });
    expect(duplicate.status).toBe(409);
    await problem(duplicate);
    const short = await json("POST", "/api/v1/users", { ...body, email: "s@test.local", password: "short" });
    expect(short.status).toBe(400);
    expect((await problem(short)).detail).toMatch(/password: use at least 12 characters/);
    const role = await json("POST", "/api/v1/users", { ...body, email: "r@test.local", role: "root" });
    expect(role.status).toBe(400);
    expect((await problem(role)).detail).toMatch(/^role must be one of "analyst", "owner", "admin" \(got "root"\)/);
  });

  it("never removes or demotes the last admin", async () => {
    const row = await env.DB.prepare("SELECT id FROM users WHERE role = 'admin'").all<{ id: string }>();
    expect(row.results).toHaveLength(1);
    const id = row.results[0]?.id;
    const demote = await json("PATCH", `/api/v1/users/${id}`, { role: "owner" });
    expect(demote.status).toBe(409);
    const remove = await call(`/api/v1/users/${id}`, { method: "DELETE", token: admin });
    expect(remove.status).toBe(409);
    expect((await problem(remove)).detail).toMatch(/last admin/);
  });

  it("404 for an unknown user id", async () => {
    const res = await json("PATCH", "/api/v1/users/nobody", { role: "owner" });
    expect(res.status).toBe(404);
    await problem(res);
  });
});
