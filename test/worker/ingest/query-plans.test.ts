import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { INSERT_PLANTS } from "../../../worker/ingest/finalize";

async function plan(sql: string, ...binds: unknown[]): Promise<string> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...binds)
    .all<{ detail: string }>();
  return results.map((r) => r.detail).join("\n");
}

// Plans, not timings: each assertion names the index walk that keeps a query proportional to
// what it returns, and fails if SQLite would scan or sort instead.
describe("query plans", () => {
  it("aggregates plants with one index lookup per plant (regression: the fuel subquery walked the whole file per plant)", async () => {
    const detail = await plan(INSERT_PLANTS, "x");
    expect(detail).toContain("SEARCH g2 USING INDEX generators_plant_idx (ingestion_id=? AND plant_key=?)");
    expect(detail).not.toMatch(/SEARCH g2 USING PRIMARY KEY/);
  });

  it("walks plants_top_idx for the national top N, without sorting", async () => {
    const detail = await plan(
      "SELECT plant_key FROM plants WHERE ingestion_id = ?1 ORDER BY net_generation_mwh DESC, name LIMIT 10",
      "x",
    );
    expect(detail).toMatch(/plants_top_idx|plants_state_top_idx/);
    expect(detail).not.toContain("TEMP B-TREE");
  });

  it("walks plants_state_top_idx for one state's top N, without sorting", async () => {
    const detail = await plan(
      "SELECT plant_key FROM plants WHERE ingestion_id = ?1 AND state = ?2 ORDER BY net_generation_mwh DESC, name LIMIT 10",
      "x",
      "TX",
    );
    expect(detail).toContain("plants_state_top_idx (ingestion_id=? AND state=?)");
    expect(detail).not.toContain("TEMP B-TREE");
  });
});
