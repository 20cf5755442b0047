import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { ingestCsv, realDataFile } from "../helpers/ingest";

// The real 2022 file has 4 generators with a blank GENID (e.g. line 6357, Dolet Hills, LA: a
// retired unit). They are generators all the same: EPA counts 25,843 rows and 11,973 plants, and
// rejecting them lost 4 plants. A blank GENID is an unknown generator id, not a bad row.
it("loads generators whose GENID is blank: the real 2022 file's 25,843 rows and 11,973 plants", async () => {
  const done = await ingestCsv(await realDataFile("egrid2022_gen22.csv"), "uploads/egrid2022_gen22.csv");
  expect(done).toMatchObject({
    status: "done",
    rows_read: 25_843,
    rows_loaded: 25_843,
    rows_rejected: 0,
    plant_count: 11_973,
  });
  const blank = await env.DB.prepare(
    "SELECT line, plant_name, generator_id FROM generators WHERE ingestion_id = ? AND generator_id = '' ORDER BY line",
  )
    .bind(done.id)
    .all();
  expect(blank.results.map((r) => r.line)).toEqual([6357, 9427, 11486, 13682]);
  expect(blank.results[1]).toMatchObject({ plant_name: "Dolet Hills" });
});
