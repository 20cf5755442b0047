import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { FUEL_FACTS, fuelTopPage } from "../../../worker/api/queries/fuel-top";
import { STATE_SUMMARY_SQL } from "../../../worker/api/queries/state-summary";
import {
  insertPlantFuels,
  insertStateFuels,
  insertStateSummaries,
  ONE_INGESTION,
  precomputeStatements,
  STORED_INGESTIONS,
} from "../../../worker/ingest/precompute-fuels";

async function plan(sql: string, ...binds: unknown[]): Promise<string> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...binds)
    .all<{ detail: string }>();
  return results.map((r) => r.detail).join("\n");
}

// Plans, not timings: the fuel and state endpoints read precomputed tables through index walks
// and key seeks; only publishing reads an ingestion's generators, once.
describe("query plans of the fuel and state endpoints", () => {
  it("ranks a state's fuel by a walk of plant_fuels_state_top_idx, plants read by key, nothing sorted", async () => {
    const detail = await plan(fuelTopPage(true, 100, 200), "x", "SOLAR", "CA");
    expect(detail).toMatch(
      /SEARCH f USING INDEX plant_fuels_state_top_idx \(ingestion_id=\? AND fuel_category=\? AND state=\?/,
    );
    expect(detail).toMatch(/SEARCH p USING INDEX sqlite_autoindex_plants_1 \(ingestion_id=\? AND plant_key=\?\)/);
    expect(detail).not.toContain("TEMP B-TREE");
    expect(detail).not.toMatch(/SCAN/);
  });

  it("ranks a fuel nationally by a walk of plant_fuels_top_idx", async () => {
    const detail = await plan(fuelTopPage(false, 100, 0), "x", "WIND");
    expect(detail).toMatch(/SEARCH f USING INDEX plant_fuels_top_idx \(ingestion_id=\? AND fuel_category=\?/);
    expect(detail).not.toContain("TEMP B-TREE");
    expect(detail).not.toMatch(/SCAN/);
  });

  it("reads the fuel facts, a state summary and its mix by primary key", async () => {
    const facts = await plan(FUEL_FACTS, "x", "WIND", "US");
    expect(facts).toMatch(/SEARCH s USING (INDEX sqlite_autoindex_state_summaries_1|PRIMARY KEY)/);
    expect(facts).toMatch(/SEARCH state_fuels USING (INDEX sqlite_autoindex_state_fuels_1|PRIMARY KEY)/);
    const summaries = await plan(STATE_SUMMARY_SQL.summaries, '["x","y"]', "TX");
    expect(summaries).toMatch(
      /SEARCH s USING INDEX sqlite_autoindex_state_summaries_1 \(ingestion_id=\? AND state=\?\)/,
    );
    expect(summaries).toMatch(/SEARCH t USING INDEX sqlite_autoindex_plants_1 \(ingestion_id=\? AND plant_key=\?\)/);
    const mixes = await plan(STATE_SUMMARY_SQL.mixes, '["x"]', "TX");
    expect(mixes).toMatch(
      /SEARCH state_fuels USING INDEX sqlite_autoindex_state_fuels_1 \(ingestion_id=\? AND state=\?\)/,
    );
    for (const d of [facts, summaries, mixes]) expect(d).not.toMatch(/SCAN (s|t|p|plants|state_fuels|plant_fuels)\b/);
  });

  it("precomputes from one ingestion's generators (a seek), and state tables from the small tables", async () => {
    const plantFuels = await plan(insertPlantFuels(ONE_INGESTION), "x");
    expect(plantFuels).toMatch(/SEARCH g USING PRIMARY KEY \(ingestion_id=\?\)/);
    expect(plantFuels).not.toMatch(/SCAN (g|generators)\b/);
    const stateFuels = await plan(insertStateFuels(ONE_INGESTION), "x");
    expect(stateFuels).not.toContain("generators");
    expect(stateFuels).not.toMatch(/SCAN plant_fuels\b/);
    const summaries = await plan(insertStateSummaries(ONE_INGESTION), "x");
    expect(summaries).not.toContain("generators");
    // Each state's top plant is the first entry of its walk of plants_state_top_idx.
    expect(summaries).toMatch(/SEARCH t USING (COVERING )?INDEX plants_state_top_idx \(ingestion_id=\? AND state=\?\)/);
  });

  it("migration 0012 backfills with exactly the statements publishing runs", () => {
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0012_"));
    const text = (migration?.queries ?? []).join("\n");
    for (const statement of precomputeStatements(STORED_INGESTIONS)) expect(text).toContain(statement);
  });
});
