import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { nameKey } from "../../../domain/plant-names";
import { plainRunner } from "../../../worker/db/sql/runner";
import { insertPlantYears, precomputeYears } from "../../../worker/ingest/precompute-years";
import { insertPlantYearsPaged, type RankAt } from "../../../worker/ingest/rank-pages";
import { genCsv } from "../helpers/gen-csv";
import { ingestCsv } from "../helpers/ingest";

const NAMES = ["Sainte-Thérèse Dam", "O'Brien  Solar, LLC", "ÅSA (Unit #2)", "plain name", "Río Grande/Bravo"];

const rows = (id: string) =>
  env.DB.prepare(
    "SELECT plant_key, name_key, national_rank, state_rank FROM plant_years WHERE ingestion_id = ?1 ORDER BY plant_key",
  )
    .bind(id)
    .all()
    .then((r) => r.results);
const tokens = (id: string) =>
  env.DB.prepare("SELECT token, plant_key FROM plant_name_tokens WHERE ingestion_id = ?1 ORDER BY 1, 2")
    .bind(id)
    .all()
    .then((r) => r.results);

describe("rank pages with their name keys", () => {
  it("writes each plant's name key with its ranks (the JS key of domain/plant-names.ts)", async () => {
    const csv = genCsv(NAMES.map((name, i) => `${i + 1},2011,${i % 2 ? "TX" : "CA"},"${name}",G1,${(i + 1) * 10}`));
    const done = await ingestCsv(csv);
    expect(done.status).toBe("done");
    const byKey = await env.DB.prepare(
      "SELECT p.name, y.name_key FROM plant_years y JOIN plants p USING (ingestion_id, plant_key) WHERE y.ingestion_id = ?1",
    )
      .bind(done.id)
      .all<{ name: string; name_key: string }>();
    expect(byKey.results).toHaveLength(NAMES.length);
    for (const r of byKey.results) expect(r.name_key).toBe(nameKey(r.name));
    expect(byKey.results.map((r) => r.name_key).sort()).toContain("obrien solar llc");
  });

  it("keys plants that an earlier run ranked with lower(name) only, when finalizing again", async () => {
    const csv = genCsv(NAMES.map((name, i) => `${i + 1},2012,NY,"${name}",G1,${(i + 1) * 10}`));
    const done = await ingestCsv(csv);
    const expected = { years: await rows(done.id), tokens: await tokens(done.id) };
    // What a version that keyed names after ranking left when it crashed between the two.
    await env.DB.prepare("DELETE FROM plant_name_tokens WHERE ingestion_id = ?1").bind(done.id).run();
    await env.DB.prepare("DELETE FROM plant_years WHERE ingestion_id = ?1").bind(done.id).run();
    await env.DB.prepare(insertPlantYears("?1")).bind(done.id).run();
    expect((await rows(done.id)).map((r) => r.name_key)).toContain("o'brien  solar, llc");

    await precomputeYears(env.DB, done.id, undefined, 2);
    expect(await rows(done.id)).toEqual(expected.years);
    expect(await tokens(done.id)).toEqual(expected.tokens);
  });

  it("stops between the inserts of a page when the invocation's statements are spent, and resumes there", async () => {
    const names = Array.from({ length: 30 }, (_, i) => `Plant ${i % 7}`); // ties of name and net
    const csv = genCsv(
      names.map((name, i) => `${i + 1},2013,${["TX", "CA", "NY"][i % 3]},"${name} ${i % 4}",G1,${(i % 5) * 10}`),
    );
    const done = await ingestCsv(csv);
    const expected = await rows(done.id);
    await env.DB.prepare("DELETE FROM plant_years WHERE ingestion_id = ?1").bind(done.id).run();

    // Pages of 12 plants, each inserted one plant per statement; 5 statements per invocation.
    const run = plainRunner(env.DB);
    let at: RankAt | undefined;
    let invocations = 0;
    for (;;) {
      let used = 0;
      const room = (n: number) => used + n <= 5;
      const counted = ((sql: string, ...params: unknown[]) => {
        used++;
        return run(sql, ...params);
      }) as typeof run;
      const { stopped } = await insertPlantYearsPaged(counted, done.id, 12, room, at, 1);
      invocations++;
      expect(used).toBeLessThanOrEqual(5);
      expect(invocations, "no progress between invocations").toBeLessThan(100);
      if (!stopped) break;
      at = stopped;
    }
    expect(invocations).toBeGreaterThan(5);
    expect(await rows(done.id)).toEqual(expected);
  });
});
