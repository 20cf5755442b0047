import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { call, forgeToken, freshIp, login, loginAdmin, problem, signingSecret, userWithRole } from "./helpers";

async function expectInvalidToken(token: string, reason: RegExp) {
  const res = await call("/api/v1/years", { token });
  expect(res.status).toBe(401);
  expect(res.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
  expect((await problem(res)).detail).toMatch(reason);
}

function b64url(text: string): string {
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

describe("POST /api/v1/auth/token", () => {
  it("creates the first admin from secrets and returns a bearer token", async () => {
    const res = await call("/api/v1/auth/token", {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
      body: JSON.stringify({ email: env.ADMIN_EMAIL.toUpperCase(), password: env.ADMIN_PASSWORD }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect(String(body.access_token).split(".")).toHaveLength(3);
    const admin = await env.DB.prepare("SELECT role FROM users WHERE email = ?").bind(env.ADMIN_EMAIL).first();
    expect(admin).toEqual({ role: "admin" });
  });

  it("answers a wrong password and an unknown email identically", async () => {
    await loginAdmin();
    const attempt = async (email: string) => {
      const res = await call("/api/v1/auth/token", {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
        body: JSON.stringify({ email, password: "wrong-password" }),
      });
      return { status: res.status, body: await problem(res) };
    };
    const wrongPassword = await attempt(env.ADMIN_EMAIL);
    const unknownEmail = await attempt("nobody@test.local");
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail).toEqual(wrongPassword);
  });

  it("rejects a body without a password with a problem naming the field", async () => {
    const res = await call("/api/v1/auth/token", {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
      body: JSON.stringify({ email: "a@b.c" }),
    });
    expect(res.status).toBe(400);
    expect((await problem(res)).detail).toMatch(/^password is required: text of 1 to 1024 characters/);
  });

  it("rejects malformed JSON and oversized bodies as problems", async () => {
    const headers = { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() };
    const bad = await call("/api/v1/auth/token", { method: "POST", headers, body: "{nope" });
    expect(bad.status).toBe(400);
    await problem(bad);
    const big = await call("/api/v1/auth/token", {
      method: "POST",
      headers,
      body: JSON.stringify({ email: "a@b.c", password: "x".repeat(20_000) }),
    });
    expect(big.status).toBe(413);
    await problem(big);
  });
});

describe("bearer token verification", () => {
  it("accepts a token from login", async () => {
    const res = await call("/api/v1/years", { token: await loginAdmin() });
    expect(res.status).toBe(200);
  });

  it("401 without a token, with a Bearer challenge", async () => {
    const res = await call("/api/v1/years");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="egrid-edge"');
    await problem(res);
  });

  it("401 for a malformed header or token", async () => {
    const basic = await call("/api/v1/years", { headers: { Authorization: "Basic YTpi" } });
    expect(basic.status).toBe(401);
    expect(basic.headers.get("www-authenticate")).toContain('error="invalid_token"');
    await expectInvalidToken("not-a-jwt", /malformed/);
  });

  it("401 for an expired token, a not-yet-valid one, and a wrong signature", async () => {
    const { id } = await userWithRole("analyst");
    const now = Math.floor(Date.now() / 1000);
    await expectInvalidToken(await forgeToken({ sub: id, exp: now - 120 }), /expired/);
    await expectInvalidToken(await forgeToken({ sub: id, nbf: now + 600 }), /nbf/);
    const wrongKey = crypto.getRandomValues(new Uint8Array(32));
    await expectInvalidToken(await forgeToken({ sub: id, secret: wrongKey }), /signature/);
  });

  it("401 for a tampered payload", async () => {
    const { id } = await userWithRole("analyst");
    const [header, , signature] = (await forgeToken({ sub: id })).split(".");
    const payload = b64url(JSON.stringify({ sub: "someone-else", iss: "egrid-edge", aud: "egrid-edge-api" }));
    await expectInvalidToken(`${header}.${payload}.${signature}`, /signature/);
  });

  it("401 for alg none and for an RS256 header", async () => {
    const { id } = await userWithRole("admin");
    const exp = Math.floor(Date.now() / 1000) + 600;
    const payload = b64url(JSON.stringify({ sub: id, iss: "egrid-edge", aud: "egrid-edge-api", exp }));
    await expectInvalidToken(`${b64url('{"alg":"none","typ":"JWT"}')}.${payload}.`, /algorithm|malformed/);
    const [, , sig] = (await forgeToken({ sub: id })).split(".");
    await expectInvalidToken(`${b64url('{"alg":"RS256","kid":"test-new"}')}.${payload}.${sig}`, /algorithm/);
  });

  it("401 for a wrong issuer or audience, or an unknown key id", async () => {
    const { id } = await userWithRole("analyst");
    await expectInvalidToken(await forgeToken({ sub: id, iss: "someone-else" }), /iss/);
    await expectInvalidToken(await forgeToken({ sub: id, aud: "another-api" }), /aud/);
    await expectInvalidToken(
      await forgeToken({ sub: id, kid: "retired", secret: signingSecret("test-new") }),
      /key id/,
    );
  });

  it("401 for a correctly signed token without exp", async () => {
    const { id } = await userWithRole("analyst");
    const noExp = await new SignJWT({ role: "analyst" })
      .setProtectedHeader({ alg: "HS256", kid: "test-new" })
      .setSubject(id)
      .setIssuer("egrid-edge")
      .setAudience("egrid-edge-api")
      .setIssuedAt()
      .sign(signingSecret("test-new"));
    await expectInvalidToken(noExp, /exp/);
  });

  it("accepts a token signed by the older, rotated key", async () => {
    const { id } = await userWithRole("analyst");
    const res = await call("/api/v1/years", { token: await forgeToken({ sub: id, kid: "test-old" }) });
    expect(res.status).toBe(200);
  });

  it("signs new tokens with the newest key", async () => {
    const token = await loginAdmin();
    const header = JSON.parse(atob((token.split(".")[0] ?? "").replaceAll("-", "+").replaceAll("_", "/")));
    expect(header).toMatchObject({ alg: "HS256", kid: "test-new" });
  });

  it("403 for a valid token without the role, 200 with it", async () => {
    const analyst = await userWithRole("analyst");
    const owner = await userWithRole("owner");
    const denied = await call("/api/v1/ingestions", { token: analyst.token });
    expect(denied.status).toBe(403);
    expect(denied.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    expect((await problem(denied)).detail).toMatch(/owner role/);
    expect((await call("/api/v1/ingestions", { token: owner.token })).status).toBe(200);
    expect((await call("/api/v1/users", { token: owner.token })).status).toBe(403);
  });

  it("keeps passwords out of storage and tokens out of the user row", async () => {
    const { email } = await userWithRole("analyst");
    const row = await env.DB.prepare("SELECT * FROM users WHERE email = ?")
      .bind(email)
      .first<Record<string, unknown>>();
    expect(String(row?.password_hash)).not.toContain("pw-");
    expect(row?.password_iterations).toBe(100_000);
    await expect(login(email, "nope")).rejects.toThrow(/401/);
  });
});
