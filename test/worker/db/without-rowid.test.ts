import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

/** The tables keyed by their primary key alone (see the WITHOUT ROWID rule in worker/db/schema/ingest.ts). */
const WITHOUT_ROWID = ["generators", "plant_parts"];

// drizzle cannot declare WITHOUT ROWID: the migrations that built these tables say it by hand, and
// a later generated migration that rebuilt one (any column change does) would silently drop it,
// turning appends to one B-tree into a rowid table plus a second index of the same size.
describe("tables after every migration", () => {
  it.each(WITHOUT_ROWID)("%s is still a WITHOUT ROWID table", async (table) => {
    const sql = await env.DB.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
      .bind(table)
      .first<string>("sql");
    expect(sql).toMatch(/\)\s*WITHOUT ROWID\s*$/i);
  });

  it("no other table is WITHOUT ROWID, so the list above is the whole rule", async () => {
    const { results } = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%WITHOUT ROWID%' ORDER BY name",
    ).all<{ name: string }>();
    expect(results.map((r) => r.name)).toEqual(WITHOUT_ROWID);
  });
});
