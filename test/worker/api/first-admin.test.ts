import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createUser, ensureFirstAdmin } from "../../../worker/auth/users";

afterEach(() => vi.restoreAllMocks());

// Its own file: storage is per file, so no admin exists here until a test makes one.
describe("the first admin from ADMIN_EMAIL / ADMIN_PASSWORD", () => {
  it("says so, with what to do, when the address belongs to a user who is not an admin (was silent)", async () => {
    await createUser(env.DB, { email: "taken@example.org", password: "an analyst's password", role: "analyst" });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    await ensureFirstAdmin({ ...env, ADMIN_EMAIL: "Taken@example.org", ADMIN_PASSWORD: "admin password 123" });
    const admins = await env.DB.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin'").first<number>("n");
    expect(admins).toBe(0);
    const logged = errors.mock.calls.map((args) => JSON.parse(String(args[0])));
    expect(logged).toEqual([
      {
        event: "first-admin-not-created",
        message: expect.stringMatching(/existing analyst account.*Set ADMIN_EMAIL .* to an address no account uses/),
      },
    ]);
    expect(JSON.stringify(logged)).not.toContain("admin password 123");
  });

  it("creates the admin once, quietly, even when two first logins race", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const admin = { ...env, ADMIN_EMAIL: "first@example.org", ADMIN_PASSWORD: "admin password 456" };
    await Promise.all([ensureFirstAdmin(admin), ensureFirstAdmin(admin)]);
    const admins = await env.DB.prepare("SELECT email FROM users WHERE role = 'admin'").all<{ email: string }>();
    expect(admins.results).toEqual([{ email: "first@example.org" }]);
    expect(errors).not.toHaveBeenCalled();
  });
});
