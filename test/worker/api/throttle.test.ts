// Sign-in throttling that targets attackers (issue: rotating CF-Connecting-IP allowed 400
// guesses at one account in 9.4 s; without the header 10 bad passwords locked everyone out).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BLOCK_CAP_MS, clientNetwork, FREE_FAILURES } from "../../../worker/auth/throttle";
import { call, expectLimitedAfter, freshIp, problem, untilRefused, userWithRole } from "./helpers";

function signIn(email: string, password: string, ip?: string) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (ip) headers["CF-Connecting-IP"] = ip;
  return call("/api/v1/auth/token", { method: "POST", headers, body: JSON.stringify({ email, password }) });
}

describe("per account: a doubling block after repeated failures, never forever", () => {
  it("rotating client addresses does not buy more guesses at one account", async () => {
    const victim = await userWithRole("analyst");
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await signIn(victim.email, `guess-${i}`, freshIp())).status);
    expect(statuses.slice(0, FREE_FAILURES + 1)).toEqual(Array(FREE_FAILURES + 1).fill(401));
    // From then on the account is blocked between failures: nearly every guess is refused unseen.
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(30);
    const limited = await signIn(victim.email, "another guess", freshIp());
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await problem(limited)).detail).toMatch(
      /too many failed sign-ins for this account; retry after \d+ seconds/,
    );
  });

  it("the owner signs in once the block has passed, and that forgets the failures", async () => {
    const owner = await userWithRole("owner");
    for (let i = 0; i < FREE_FAILURES + 3; i++) await signIn(owner.email, `wrong-${i}`, freshIp());
    const row = await env.DB.prepare("SELECT failures, blocked_until FROM login_failures WHERE key = ?")
      .bind(`account:${owner.email}`)
      .first<{ failures: number; blocked_until: number }>();
    expect(row?.failures).toBe(FREE_FAILURES + 1); // attempts while blocked are refused unseen
    expect(row?.blocked_until ?? 0).toBeLessThanOrEqual(Date.now() + BLOCK_CAP_MS);
    // The block ends (simulated by moving it into the past, not by waiting).
    await env.DB.prepare("UPDATE login_failures SET blocked_until = ?2 WHERE key = ?1")
      .bind(`account:${owner.email}`, Date.now() - 1)
      .run();
    const ok = await signIn(owner.email, owner.password, freshIp());
    expect(ok.status).toBe(200);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM login_failures WHERE key = ?")
        .bind(`account:${owner.email}`)
        .first("n"),
    ).toBe(0);
  });

  it("caps the block at 15 minutes however many failures", async () => {
    const target = await userWithRole("analyst");
    await env.DB.prepare("INSERT INTO login_failures (key, failures, last_failure_at) VALUES (?1, 60, ?2)")
      .bind(`account:${target.email}`, Date.now())
      .run();
    await signIn(target.email, "wrong", freshIp());
    const until = await env.DB.prepare("SELECT blocked_until FROM login_failures WHERE key = ?")
      .bind(`account:${target.email}`)
      .first<number>("blocked_until");
    expect((until ?? 0) - Date.now()).toBeLessThanOrEqual(BLOCK_CAP_MS);
    expect((until ?? 0) - Date.now()).toBeGreaterThan(BLOCK_CAP_MS - 60_000);
  });
});

describe("per network", () => {
  it("groups IPv6 clients by /64 and IPv4 clients by address", () => {
    const net = (ip: string) => clientNetwork(new Headers({ "CF-Connecting-IP": ip }));
    expect(net("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(net("2001:0db8:0001:0002:ffff:0:0:9")).toBe("2001:db8:1:2::/64");
    expect(net("2001:db8::5")).toBe("2001:db8:0:0::/64");
    expect(net("2001:db8:0:1::5")).not.toBe(net("2001:db8::5"));
    expect(net("198.51.100.7")).toBe("198.51.100.7");
    expect(clientNetwork(new Headers())).toBeNull();
  });

  it("rotating addresses inside one IPv6 /64 shares one bucket", async () => {
    const { statuses } = await untilRefused(10, (i) =>
      signIn(`nobody-${i + 1}@test.local`, "guess", `2001:db8:77:1::${(i + 1).toString(16)}`),
    );
    expectLimitedAfter(statuses, 10, 401);
    expect((await signIn("nobody-x@test.local", "guess", "2001:db8:77:2::1")).status).toBe(401);
  });

  it("without a client address, one client's bad passwords never lock out the others", async () => {
    for (let i = 0; i < 12; i++) expect((await signIn(`noisy-${i}@test.local`, "guess")).status).toBe(401);
    const other = await userWithRole("analyst");
    expect((await signIn(other.email, other.password)).status).toBe(200);
  });
});
