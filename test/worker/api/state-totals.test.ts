import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { stateTotals } from "../../../worker/api/queries/state-totals";
import { seedDataset } from "./helpers";

// Issue: the in-flight D1 promise was memoised; when its request was cancelled workerd never
// settled it, and every later request for that dataset waited until the isolate was evicted.
it("a load that never settles (its request cancelled) does not hold up the next request", async () => {
  await seedDataset("totals-hang", 2012, [{ state: "TX", name: "A", net: 5 }]);
  // TEST DOUBLE of D1 standing for the cancelled request's I/O: its query never answers.
  const stalled = {
    prepare: () => ({ bind: () => ({ all: () => new Promise<never>(() => {}) }) }),
  } as unknown as D1Database;
  void stateTotals(stalled, "totals-hang");
  const next = await Promise.race([
    stateTotals(env.DB, "totals-hang"),
    new Promise<"hung">((resolve) => setTimeout(() => resolve("hung"), 2_000)),
  ]);
  expect(next).not.toBe("hung");
  expect((next as Map<string, unknown>).get("TX")).toEqual({ plantCount: 1, netGenerationMwh: 5 });
});
