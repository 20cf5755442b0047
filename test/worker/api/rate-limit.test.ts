import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, freshIp, problem } from "./helpers";

function attempt(ip: string) {
  return call("/api/v1/auth/token", {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
    body: JSON.stringify({ email: env.ADMIN_EMAIL, password: "guess" }),
  });
}

describe("login rate limit (LOGIN_LIMITER, 10 per 60 s per IP)", () => {
  it("answers 429 with Retry-After once one address exceeds the limit, other addresses unaffected", async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await attempt(ip)).status);
    expect(statuses).toEqual(Array(10).fill(401));
    const limited = await attempt(ip);
    expect(limited.status).toBe(429);
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
