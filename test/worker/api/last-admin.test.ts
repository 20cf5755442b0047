// The last-admin rule under races (issue: two admins demoting themselves at the same moment both
// got 200 and left nobody admin). Storage is this file's own.
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { createUser } from "../../../worker/auth/users";
import { call, login, loginAdmin } from "./helpers";

async function admins(): Promise<Array<{ id: string; email: string }>> {
  const { results } = await env.DB.prepare("SELECT id, email FROM users WHERE role = 'admin'").all<{
    id: string;
    email: string;
  }>();
  return results;
}

it("20 concurrent demotions and deletions of every admin always leave one admin", async () => {
  const passwords = new Map<string, string>();
  let token = await loginAdmin();
  for (let round = 0; round < 3; round++) {
    for (let i = (await admins()).length; i < 10; i++) {
      const email = `admin-${round}-${i}@race.test`;
      const password = `pw-${crypto.randomUUID()}`;
      passwords.set(email, password);
      await createUser(env.DB, { email, password, role: "admin" });
    }
    const ids = (await admins()).map((a) => a.id);
    expect(ids).toHaveLength(10);
    const requests = ids.flatMap((id) => [
      call(`/api/v1/users/${id}`, {
        method: "PATCH",
        token,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ role: "owner" }),
      }),
      call(`/api/v1/users/${id}`, { method: "DELETE", token }),
    ]);
    const statuses = (await Promise.all(requests)).map((r) => r.status);
    expect(
      statuses.every((s) => [200, 204, 404, 409].includes(s)),
      statuses.join(","),
    ).toBe(true);
    expect(statuses).toContain(409);
    const left = await admins();
    expect(left).toHaveLength(1);
    // The next round acts as the admin that is left: the others' tokens no longer work.
    const survivor = left[0] as { email: string };
    token =
      survivor.email === env.ADMIN_EMAIL
        ? await loginAdmin()
        : await login(survivor.email, passwords.get(survivor.email) as string);
  }
});
