import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MOVERS_CHECKS, moversCountSql, moversSql } from "../../../worker/api/queries/movers";
import { HISTORY_SQL } from "../../../worker/api/queries/plant-history";
import { searchCountSql, searchSql } from "../../../worker/api/queries/plant-search";
import { previousMatchSql } from "../../../worker/api/queries/previous-year";
import { STORED_INGESTIONS } from "../../../worker/ingest/precompute-fuels";
import { insertNameTokens, insertPlantYears, yearStatements } from "../../../worker/ingest/precompute-years";
import { INSERT_CHANGES } from "../../../worker/publication/change-pairs";

async function plan(sql: string, ...binds: unknown[]): Promise<string> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...binds)
    .all<{ detail: string }>();
  return results.map((r) => r.detail).join("\n");
}

/** No full scan of a table (json_each, the list of keys a request sends, and k, those keys materialized, are not tables). */
const NO_TABLE_SCAN = /SCAN (?!\w+ VIRTUAL TABLE|k$)\w+/m;

// Plans, not timings: the years-and-change endpoints seek precomputed tables; only completing an
// ingestion reads its plants, once, and publishing joins two years' plant_years by index.
describe("query plans of previous year, movers, history and search", () => {
  it("finds a page's plants in the baseline year by key and the ORISPL or name index", async () => {
    const detail = await plan(previousMatchSql("SELECT value FROM json_each(?3)", 2), "x", "y", '["1","2"]');
    expect(detail).toMatch(/SEARCH c USING INDEX sqlite_autoindex_plant_years_1 \(ingestion_id=\? AND plant_key=\?\)/);
    expect(detail).toMatch(/SEARCH p USING INDEX plant_years_orispl_idx \(ingestion_id=\? AND orispl=\?\)/);
    expect(detail).toMatch(
      /SEARCH p USING INDEX plant_years_name_idx \(ingestion_id=\? AND state=\? AND name_key=\?\)/,
    );
    expect(detail).toMatch(/SEARCH pp USING INDEX sqlite_autoindex_plants_1 \(ingestion_id=\? AND plant_key=\?\)/);
    expect(detail).not.toMatch(NO_TABLE_SCAN);
  });

  it("walks a plant_changes index in change order for every scope, nothing sorted", async () => {
    const scopes = [
      [{ state: null, fuel: null }, "plant_changes_idx", ["x", "y"]],
      [{ state: "TX", fuel: null }, "plant_changes_state_idx", ["x", "y", "TX"]],
      [{ state: null, fuel: "WIND" }, "plant_changes_fuel_idx", ["x", "y", "WIND"]],
    ] as const;
    for (const [scope, index, binds] of scopes) {
      for (const direction of ["up", "down"] as const) {
        const options = { ...scope, n: 10, direction };
        const detail = await plan(moversSql(options), ...binds);
        expect(detail, `${index} ${direction}`).toMatch(new RegExp(`SEARCH ch USING (COVERING )?INDEX ${index} `));
        expect(detail).not.toContain("TEMP B-TREE");
        expect(detail).not.toMatch(NO_TABLE_SCAN);
        expect(await plan(moversCountSql(options), ...binds)).toMatch(/SEARCH ch USING COVERING INDEX plant_changes/);
      }
    }
    // The batch's checks before the page: one primary-key read each.
    expect(await plan(MOVERS_CHECKS.hasFuel, "x")).toMatch(
      /SEARCH state_summaries USING (INDEX sqlite_autoindex_state_summaries_1|PRIMARY KEY)/,
    );
    expect(await plan(MOVERS_CHECKS.pairDone, "x", "y")).toMatch(
      /SEARCH change_pairs USING (COVERING INDEX sqlite_autoindex_change_pairs_1|PRIMARY KEY)/,
    );
    // State and fuel: one of the two indexes, the other test on its rows.
    const both = await plan(moversSql({ state: "TX", fuel: "WIND", n: 10, direction: "up" }), "x", "y", "TX", "WIND");
    expect(both).toMatch(/SEARCH ch USING INDEX plant_changes_(state|fuel)_idx/);
    expect(both).not.toMatch(NO_TABLE_SCAN);
  });

  it("follows a plant by key, ORISPL or name, and reads its fuels by key", async () => {
    expect(await plan(HISTORY_SQL.byKey, "x", "1")).toMatch(/SEARCH y USING INDEX sqlite_autoindex_plant_years_1/);
    expect(await plan(HISTORY_SQL.byOrispl, "x", 1)).toMatch(/SEARCH y USING INDEX plant_years_orispl_idx/);
    expect(await plan(HISTORY_SQL.byName, "x", "TX", "a b", null)).toMatch(/SEARCH y USING INDEX plant_years_name_idx/);
    expect(await plan(HISTORY_SQL.fuels, "x", "1")).toMatch(
      /SEARCH plant_fuels USING INDEX sqlite_autoindex_plant_fuels_1/,
    );
    const binds = { byKey: ["x", "1"], byOrispl: ["x", 1], byName: ["x", "TX", "a", null], fuels: ["x", "1"] };
    for (const [name, sql] of Object.entries(HISTORY_SQL)) {
      expect(await plan(sql, ...binds[name as keyof typeof binds])).not.toMatch(NO_TABLE_SCAN);
    }
  });

  it("searches one word-prefix range of plant_name_tokens, plants read by key", async () => {
    for (const [others, state] of [
      [0, false],
      [2, true],
    ] as const) {
      const binds = ["x", "palo", "palo\u{10FFFF}", ...(state ? ["TX"] : []), ...Array(others).fill("% v%")];
      for (const sql of [searchSql(others, state, 10), searchCountSql(others, state)]) {
        const detail = await plan(sql, ...binds);
        expect(detail).toMatch(
          /SEARCH plant_name_tokens USING COVERING INDEX sqlite_autoindex_plant_name_tokens_1 \(ingestion_id=\? AND token>\? AND token<\?\)/,
        );
        expect(detail).toMatch(
          /SEARCH y USING (COVERING )?INDEX sqlite_autoindex_plant_years_1 \(ingestion_id=\? AND plant_key=\?\)/,
        );
        // "SCAN t" and "SCAN y" read the subqueries' own results (the matches), not tables.
        expect(detail).not.toMatch(/SCAN (?!t$|y$)\w+/m);
      }
    }
  });

  it("precomputes from one ingestion's plants (a seek), and pairs two years by index", async () => {
    const years = await plan(insertPlantYears("?1"), "x");
    expect(years).not.toContain("generators");
    expect(years).toMatch(/SEARCH plants USING (INDEX|PRIMARY KEY|COVERING INDEX) \w+ \(ingestion_id=\?\)/);
    const tokens = await plan(insertNameTokens("?1"), "x");
    // One ingestion's rows of plant_years (a seek); "words" is the recursive split of each name.
    expect(tokens).toMatch(/SEARCH plant_years USING (COVERING )?INDEX \w+ \(ingestion_id=\?\)/);
    expect(tokens).not.toMatch(/SCAN plant_years/);
    const changes = await plan(INSERT_CHANGES, "x", "y");
    expect(changes).toMatch(/SEARCH p USING INDEX plant_years_orispl_idx \(ingestion_id=\? AND orispl=\?\)/);
    expect(changes).toMatch(
      /SEARCH p USING INDEX plant_years_name_idx \(ingestion_id=\? AND state=\? AND name_key=\?\)/,
    );
    expect(changes).not.toContain("generators");
    expect(changes).not.toMatch(NO_TABLE_SCAN);
  });

  it("migration 0013 backfills with exactly the statements completing an ingestion runs", () => {
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0013_"));
    const text = (migration?.queries ?? []).join("\n");
    for (const statement of yearStatements(STORED_INGESTIONS)) expect(text).toContain(statement);
  });
});
