import { env } from "cloudflare:workers";
import { beforeAll, expect, it } from "vitest";
import { app } from "../../../worker/api/app";
import { seedDataset, userWithRole } from "./helpers";

let token: string;
beforeAll(async () => {
  token = (await userWithRole("analyst")).token;
  await seedDataset("cancel-2015-v1", 2015, [
    { name: "Alpha", state: "WY", net: 30 },
    { name: "Beta", state: "WY", net: 20 },
  ]);
});

// Issue #14 item 7: a request cancelled mid-flight leaves its I/O unsettled forever in workerd.
// Nothing a later request needs may wait on it: the API memoises values, never in-flight promises.
it("a request cancelled while its D1 queries are in flight does not hold up the next one", async () => {
  // TEST DOUBLE of D1 standing for the cancelled request's I/O: every query never answers.
  const never = () => new Promise<never>(() => {});
  const statement = { bind: () => statement, all: never, first: never, raw: never, run: never };
  const stalled = { prepare: () => statement, batch: never, withSession: () => stalled } as unknown as D1Database;
  const headers = { Authorization: `Bearer ${token}` };
  for (const path of ["/api/v1/states?year=2015", "/api/v1/plants/top?year=2015&state=WY&n=2"]) {
    const cancelled = app.request(path, { headers }, { ...env, DB: stalled });
    const next = await Promise.race([
      app.request(path, { headers }, env),
      new Promise<"hung">((resolve) => setTimeout(() => resolve("hung"), 3_000)),
    ]);
    expect(next, path).not.toBe("hung");
    expect((next as Response).status, path).toBe(200);
    // The cancelled one is still waiting: it really was mid-flight while the next one ran.
    expect(await Promise.race([Promise.resolve(cancelled).then(() => "settled"), Promise.resolve("pending")])).toBe(
      "pending",
    );
  }
});
