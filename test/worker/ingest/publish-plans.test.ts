import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { insertPlantFuelsRange } from "../../../worker/ingest/precompute-fuels";
import { insertNameTokens, nameKeyUpdates } from "../../../worker/ingest/precompute-years";
import { type Cursor, pageStatements } from "../../../worker/ingest/rank-pages";
import { insertChanges } from "../../../worker/publication/change-pairs";

async function plan(sql: string, ...binds: unknown[]): Promise<string> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...binds)
    .all<{ detail: string }>();
  return results.map((r) => r.detail).join("\n");
}

const RANGE = " AND plant_key > ?2 AND plant_key <= ?3";
const SEEK_RANGE = /\(ingestion_id=\? AND plant_key>\? AND plant_key<\?\)/;

// Plans, not timings: each bounded statement of publishing reads its range or page through an
// index, so its cost follows the statement size, not the file's.
describe("plans of publishing's bounded statements", () => {
  const cursors: Cursor[] = [
    null,
    { net: 5, name: "a", state: "TX", id: 3 },
    { net: null, name: "a", state: "TX", id: 3 },
  ];

  it("walks every state's plants_state_top_idx from the cursor for a rank page, never a table", async () => {
    for (const cursor of cursors) {
      const [page, insert] = pageStatements(cursor) as [string, string];
      // D1 refuses statements over 100 KB of SQL text.
      expect(page.length).toBeLessThan(100_000);
      const detail = await plan(page, "x", 1, "a", "TX", 3, 7);
      expect(detail).not.toMatch(/SCAN plants/);
      const seeks = detail.split("\n").filter((l) => l.includes("plants_state_top_idx"));
      expect(seeks.length).toBeGreaterThanOrEqual(52);
      for (const seek of seeks) {
        expect(seek).toMatch(/SEARCH plants USING COVERING INDEX plants_state_top_idx \(ingestion_id=\? AND state=\?/);
      }
      if (cursor !== null) for (const seek of seeks) expect(seek).toMatch(/net_generation_mwh[=<]\?/);
      // The ranked page goes in as JSON; each plant is read by rowid, never by a scan.
      const inserted = await plan(insert, "x", '[[1, 1, 1, "a"]]');
      expect(inserted).toMatch(/SEARCH p USING INTEGER PRIMARY KEY \(rowid=\?\)/);
      expect(inserted).not.toMatch(/SCAN p\b/);
    }
  });

  it("reads a key range of plant_fuels' generators through the parts, one seek each", async () => {
    const detail = await plan(insertPlantFuelsRange("p.plant_key > ?2 AND p.plant_key <= ?3"), "x", "a", "b");
    expect(detail).toMatch(
      /SEARCH p USING PRIMARY KEY \(ingestion_id=\? AND chunk_index=\? AND plant_key>\? AND plant_key<\?\)/,
    );
    expect(detail).toMatch(/SEARCH g USING PRIMARY KEY \(ingestion_id=\? AND seq=\?\)/);
    expect(detail).not.toMatch(/SEARCH g USING PRIMARY KEY \(ingestion_id=\?\)$/m);
    expect(detail).not.toMatch(/SCAN (generators|g|p)$/m);
  });

  it("seeks the key range for name keys, tokens and a year pair's changes", async () => {
    for (const sql of nameKeyUpdates("?1", RANGE)) expect(await plan(sql, "x", "a", "b")).toMatch(SEEK_RANGE);
    expect(await plan(insertNameTokens("?1", RANGE), "x", "a", "b")).toMatch(SEEK_RANGE);
    const changes = await plan(insertChanges(" AND c.plant_key > ?3 AND c.plant_key <= ?4"), "x", "y", "a", "b");
    expect(
      changes.match(
        /SEARCH c USING INDEX sqlite_autoindex_plant_years_1 \(ingestion_id=\? AND plant_key>\? AND plant_key<\?\)/g,
      ),
    ).toHaveLength(2);
    expect(changes).not.toMatch(/SCAN (c|p|cp|pp)$/m);
  });
});
