// Weak passwords were accepted (12 spaces, "aaaaaaaaaaaa"). The policy applies to every way a
// password is set: the users API and the first admin from ADMIN_PASSWORD.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { passwordProblem } from "../../../worker/auth/password-policy";
import { ensureFirstAdmin } from "../../../worker/auth/users";
import { call, loginAdmin, problem } from "./helpers";

afterEach(() => vi.restoreAllMocks());

describe("password policy", () => {
  it.each([
    ["12 spaces", " ".repeat(12), /repeats one character/],
    ["one letter twelve times", "a".repeat(12), /repeats one character/],
    ["a keyboard row", "qwertyuiop12", /common password|keyboard/],
    ["a common password, decorated", "Password1234!", /common password/],
    ["a sequence", "abcdefghijkl", /sequence|common/],
    ["the email itself", "jane.doe@example.org", /email|too easy|common/],
    ["too short", "Tr0ub4dor&3", /at least 12 characters/],
  ])("refuses %s, saying why", (_what, password, why) => {
    expect(passwordProblem(password, ["jane.doe@example.org", "jane", "doe", "example", "org"])).toMatch(why);
  });

  it("accepts long phrases and random secrets", () => {
    for (const password of ["correct horse battery", "an analyst's password", `pw-${crypto.randomUUID()}`]) {
      expect(passwordProblem(password)).toBeNull();
    }
  });

  // Before any sign-in: the first admin is created only while no admin exists.
  it("a weak ADMIN_PASSWORD creates no admin and says what to do, without logging the password", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    await ensureFirstAdmin({
      ...env,
      DB: env.DB,
      ADMIN_EMAIL: "weak-admin@example.org",
      ADMIN_PASSWORD: " ".repeat(12),
    });
    const made = await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = 'weak-admin@example.org'").first(
      "n",
    );
    expect(made).toBe(0);
    const logged = errors.mock.calls.map((args) => JSON.parse(String(args[0])));
    expect(logged).toEqual([
      {
        event: "first-admin-not-created",
        message: expect.stringMatching(
          /ADMIN_PASSWORD does not meet the password policy.*wrangler secret put ADMIN_PASSWORD/,
        ),
      },
    ]);
  });
  it("POST /users refuses a weak password with a 400 problem naming the rule", async () => {
    const res = await call("/api/v1/users", {
      method: "POST",
      token: await loginAdmin(),
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "weak@test.local", password: "aaaaaaaaaaaa", role: "analyst" }),
    });
    expect(res.status).toBe(400);
    expect((await problem(res)).detail).toMatch(/^password: this password repeats one character/);
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = 'weak@test.local'").first("n");
    expect(stored).toBe(0);
  });
});
