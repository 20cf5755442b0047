import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../../worker/api/app";
import { call, expectLimitedAfter, freshIp, problem, untilRefused, userWithRole } from "./helpers";

let guesses = 0;
/** A wrong password for a different account each time, so only the network limit applies. */
function attempt(ip: string) {
  guesses += 1;
  return call("/api/v1/auth/token", {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
    body: JSON.stringify({ email: `guess-${guesses}@test.local`, password: "guess" }),
  });
}

describe("login rate limit (LOGIN_LIMITER, 10 per 60 s per client network)", () => {
  it("answers 429 with Retry-After once one address exceeds the limit, other addresses unaffected", async () => {
    const ip = freshIp();
    const { statuses, refused: limited } = await untilRefused(10, () => attempt(ip));
    expectLimitedAfter(statuses, 10, 401);
    if (!limited) throw new Error("never limited");
    expect(limited.headers.get("retry-after")).toBe("60");
    expect((await problem(limited)).detail).toMatch(/too many sign-in attempts/);
    // Even the right password is refused while limited: brute force cannot probe through it.
    const right = await call("/api/v1/auth/token", {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
      body: JSON.stringify({ email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }),
    });
    expect(right.status).toBe(429);
    expect((await attempt(freshIp())).status).toBe(401);
  });
});

describe("per-user API limit (API_LIMITER)", () => {
  it("answers 429 with Retry-After once a user exceeds the limit; other users unaffected", async () => {
    // The real rate-limit binding with the login limit (10 / 60 s) stands in for API_LIMITER
    // (6,000 / 60 s), so the limit is reached in a few requests.
    const tightEnv = { ...env, API_LIMITER: env.LOGIN_LIMITER };
    const [busy, other] = [await userWithRole("analyst"), await userWithRole("analyst")];
    const get = (token: string) =>
      app.request("/api/v1/years", { headers: { Authorization: `Bearer ${token}` } }, tightEnv);
    const { statuses } = await untilRefused(10, () => get(busy.token));
    expectLimitedAfter(statuses, 10, 200);
    const limited = await get(busy.token);
    expect(limited.headers.get("retry-after")).toBe("60");
    expect((await problem(limited)).detail).toMatch(/this user sent too many requests/);
    expect((await get(other.token)).status).toBe(200);
  });
});
