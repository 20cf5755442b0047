import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { STATE_CODES } from "../../../domain/states";
import { fuelTopPage } from "../../../worker/api/queries/fuel-top";
import { pageMatchSql } from "../../../worker/api/queries/previous-year";
import { NATIONAL_WALK, nationalTopPage, stateTopPage } from "../../../worker/api/queries/top-plants";
import { INSERT_PLANTS_RANGE, INSERT_PLANTS_REST, PLANT_GENERATORS } from "../../../worker/db/sql/plant-parts";
import { ingestCsv, realDataFile } from "../helpers/ingest";

async function plan(sql: string, ...binds: unknown[]): Promise<string> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...binds)
    .all<{ detail: string }>();
  return results.map((r) => r.detail).join("\n");
}

// Plans, not timings: each assertion names the index walk that keeps a query proportional to
// what it returns, and fails if SQLite would scan or sort instead.
describe("query plans", () => {
  it("aggregates a range of plants with one key-range seek per chunk, without scanning parts or generators", async () => {
    const detail = await plan(INSERT_PLANTS_RANGE, "x", "", "9");
    expect(detail).toContain(
      "SEARCH p USING PRIMARY KEY (ingestion_id=? AND chunk_index=? AND plant_key>? AND plant_key<?)",
    );
    expect(await plan(INSERT_PLANTS_REST, "x", "")).toContain(
      "SEARCH p USING PRIMARY KEY (ingestion_id=? AND chunk_index=? AND plant_key>?)",
    );
    // A plant that spans chunks finds its other parts with one seek per chunk.
    expect(detail).toContain("SEARCH p2 USING PRIMARY KEY (ingestion_id=? AND chunk_index=? AND plant_key=?)");
    expect(detail).toMatch(/SEARCH ingestion_chunks USING .*\(ingestion_id=\?\)/);
    expect(detail).not.toMatch(/SCAN (p|p2|plant_parts|ingestion_chunks)\b/);
    expect(detail).not.toContain("generators");
  });

  it("pages one plant's generators with one seek per chunk and one per returned generator, never scanning the dataset", async () => {
    const detail = await plan(PLANT_GENERATORS, "x", "1", 3, 40, 101);
    expect(detail).toContain("SEARCH p USING PRIMARY KEY (ingestion_id=? AND chunk_index=? AND plant_key=?)");
    expect(detail).toMatch(/SEARCH g USING PRIMARY KEY \(ingestion_id=\? AND seq=\?\)/);
    expect(detail).not.toMatch(/SCAN (generators|g|p|plant_parts)\b/);
    // Parts arrive in chunk order; only one chunk's sequence numbers are sorted at a time, so the
    // LIMIT stops the walk once the page is full instead of sorting the whole plant.
    expect(detail).toContain("USE TEMP B-TREE FOR LAST TERM OF ORDER BY");
    expect(detail).not.toContain("USE TEMP B-TREE FOR ORDER BY");
  });

  it("merges every state's covering walk of plants_state_top_idx for the national top N, sorting only the page", async () => {
    const walk = await plan(`${NATIONAL_WALK} LIMIT 10 OFFSET 100`, "x");
    expect(walk).toContain("MERGE (UNION ALL)");
    const walks = walk.match(
      /SEARCH plants USING COVERING INDEX plants_state_top_idx \(ingestion_id=\? AND state=\?\)/g,
    );
    expect(walks).toHaveLength(STATE_CODES.length);
    expect(walk).not.toContain("TEMP B-TREE");
    expect(walk).not.toMatch(/SCAN plants\b/);
    const page = await plan(nationalTopPage(10, 100), "x");
    expect(page).toMatch(/SEARCH plants USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(page).not.toMatch(/SCAN plants\b/);
    // The one sort is of the page's rows, after the merge.
    expect(page.match(/TEMP B-TREE/g)?.length ?? 0).toBeLessThanOrEqual(1);
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

describe("query plans of a top-N page's previous-year match (same batch as the page)", () => {
  // Each page kind with its binds; the match takes the page's binds and then the baseline.
  const pages = [
    ["national", nationalTopPage(100, 200), ["x"]],
    ["state", stateTopPage(100, 200), ["x", "TX"]],
    ["fuel, national", fuelTopPage(false, 100, 200), ["x", "WIND"]],
    ["fuel, state", fuelTopPage(true, 100, 200), ["x", "WIND", "TX"]],
  ] as const;

  it("walks the page's own index for the keys, then seeks the baseline year by key, ORISPL or name", async () => {
    for (const [name, page, binds] of pages) {
      const detail = await plan(pageMatchSql(page, binds.length), ...binds, "y");
      expect(detail, name).toMatch(
        /SEARCH c USING INDEX sqlite_autoindex_plant_years_1 \(ingestion_id=\? AND plant_key=\?\)/,
      );
      expect(detail, name).toMatch(/SEARCH p USING INDEX plant_years_orispl_idx \(ingestion_id=\? AND orispl=\?\)/);
      expect(detail, name).toMatch(
        /SEARCH p USING INDEX plant_years_name_idx \(ingestion_id=\? AND state=\? AND name_key=\?\)/,
      );
      expect(detail, name).toMatch(
        /SEARCH pp USING INDEX sqlite_autoindex_plants_1 \(ingestion_id=\? AND plant_key=\?\)/,
      );
      // The keys come from the same walk as the page: no scan of a table anywhere.
      expect(detail, name).not.toMatch(/SCAN (plants|plant_years|plant_fuels|c|p|pp|f)\b/);
    }
    expect(await plan(pageMatchSql(stateTopPage(100, 200), 2), "x", "TX", "y")).toContain(
      "plants_state_top_idx (ingestion_id=? AND state=?)",
    );
    expect(await plan(pageMatchSql(fuelTopPage(false, 100, 200), 2), "x", "WIND", "y")).toContain(
      "plant_fuels_top_idx",
    );
    // The page's walk runs once per statement: its keys are materialized for both branches.
    const national = await plan(pageMatchSql(nationalTopPage(100, 200), 1), "x", "y");
    expect(national).toContain("MATERIALIZE k");
    expect(national.match(/SEARCH plants USING COVERING INDEX plants_state_top_idx/g)).toHaveLength(STATE_CODES.length);
  });

  it("binds the baseline after the page's own parameters: the match finds exactly the page's plants", async () => {
    // Numbered parameters: a page using ?1..?3 puts the baseline at ?4, and nothing else.
    expect(pageMatchSql(fuelTopPage(true, 1, 0), 3)).toContain("p.ingestion_id = ?4");
    expect(pageMatchSql(fuelTopPage(true, 1, 0), 3)).not.toMatch(/\?[5-9]/);
    expect(pageMatchSql(nationalTopPage(1, 0), 1)).toContain("p.ingestion_id = ?2");
  });
});

describe("migration 0006 (plant parts from generators loaded before it)", () => {
  it("rebuilds parts that merge into exactly the plants the pipeline computed", async () => {
    const done = await ingestCsv(await realDataFile("egrid2023_gen23.csv"), "migration-0006.csv");
    expect(done.status).toBe("done");
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0006_"));
    const backfill = migration?.queries.find((q) => q.includes("INSERT INTO `plant_parts`"));
    expect(backfill).toBeDefined();
    // The state before 0006: its index existed and these generators had no parts.
    await env.DB.prepare("CREATE INDEX generators_plant_idx ON generators (ingestion_id, plant_key)").run();
    await env.DB.prepare("DELETE FROM plant_parts WHERE ingestion_id = ?").bind(done.id).run();
    try {
      await env.DB.prepare(backfill as string).run();
    } finally {
      await env.DB.prepare("DROP INDEX generators_plant_idx").run();
    }
    const { results: differences } = await env.DB.prepare(
      `SELECT pl.plant_key FROM plants pl JOIN plant_parts pp
          ON pp.ingestion_id = pl.ingestion_id AND pp.plant_key = pl.plant_key AND pp.chunk_index = -1
        WHERE pl.ingestion_id = ?1 AND NOT (pl.state = pp.state AND pl.name = pp.name AND pl.orispl IS pp.orispl
          AND pl.net_generation_mwh IS round(pp.net_generation_mwh, 3) AND pl.generator_count = pp.generator_count
          AND pl.unknown_generator_count = pp.unknown_generator_count AND pl.primary_fuel IS pp.fuel
          AND pl.capacity_mw IS round(pp.capacity_mw, 3) AND json_array_length(pp.seqs) = pp.generator_count)`,
    )
      .bind(done.id)
      .all();
    expect(differences).toEqual([]);
    const parts = await env.DB.prepare(
      "SELECT count(*) AS n FROM plant_parts WHERE ingestion_id = ? AND chunk_index = -1",
    )
      .bind(done.id)
      .first<number>("n");
    expect(parts).toBe(done.plant_count);
    // Plant detail finds the generators through the rebuilt parts (chunk -1) too.
    const top = await env.DB.prepare(
      "SELECT plant_key, generator_count FROM plants WHERE ingestion_id = ? ORDER BY generator_count DESC LIMIT 1",
    )
      .bind(done.id)
      .first<{ plant_key: string; generator_count: number }>();
    const { results: generators } = await env.DB.prepare(PLANT_GENERATORS)
      .bind(done.id, top?.plant_key, -2, -1, 100_000)
      .all();
    expect(generators).toHaveLength(top?.generator_count as number);
    expect(top?.generator_count).toBeGreaterThan(1);
  });
});
