import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { nameKey, prefixEnd, searchWords } from "../../../domain/plant-names";
import { yearStatements } from "../../../worker/ingest/precompute-years";

const NAMES = [
  "Palo Verde",
  "Traverse Wind Project, LLC",
  "Peñasco Solar (Community Solar)",
  "O'Brien  Cogen  #2",
  "St. Lucie",
  "Harvest Ridge  Wind Farm",
  "ÉCOLE Énergie",
  "Tate & Lyle Loudon Plant",
  "A-B_C/D",
  "  padded  ",
  "Ünïcödé Ålpha Øster",
];

describe("plant name keys", () => {
  it("fold case, accents and punctuation", () => {
    expect(nameKey("Traverse Wind Project, LLC")).toBe("traverse wind project llc");
    expect(nameKey("Peñasco Solar (Community Solar)")).toBe("penasco solar community solar");
    expect(nameKey("O'Brien  Cogen  #2")).toBe("obrien cogen 2");
    expect(nameKey("ÉCOLE Énergie")).toBe("ecole energie");
    expect(nameKey("Harvest Ridge  Wind Farm")).toBe(nameKey("Harvest Ridge Wind Farm"));
  });

  it("are the same in SQL (precompute, each statement within D1's expression depth) as in JS (queries)", async () => {
    const id = "names-test";
    await env.DB.batch(
      NAMES.map((name, i) =>
        env.DB.prepare(
          `INSERT INTO plants (ingestion_id, plant_key, data_year, state, name, net_generation_mwh, generator_count,
             unknown_generator_count) VALUES (?1, ?2, 2003, 'TX', ?3, ?4, 1, 0)`,
        ).bind(id, `k${i}`, name, i),
      ),
    );
    // Twice: finishing again after a crash changes nothing.
    for (let run = 0; run < 2; run++) {
      for (const sql of yearStatements("?1")) await env.DB.prepare(sql).bind(id).run();
    }
    const { results } = await env.DB.prepare("SELECT plant_key, name_key FROM plant_years WHERE ingestion_id = ?1")
      .bind(id)
      .all<{ plant_key: string; name_key: string }>();
    const stored = new Map(results.map((r) => [r.plant_key, r.name_key]));
    for (const [i, name] of NAMES.entries()) expect(stored.get(`k${i}`), name).toBe(nameKey(name));
  });

  it("search words: distinct, longest first; a prefix range covers exactly the words it starts", async () => {
    expect(searchWords("Palo palo VERDE")).toEqual(["verde", "palo"]);
    expect(searchWords(" - ")).toEqual([]);
    const inRange = async (word: string) =>
      env.DB.prepare("SELECT ?1 >= ?2 AND ?1 < ?3 AS hit").bind(word, "pal", prefixEnd("pal")).first<number>("hit");
    expect(await inRange("palo")).toBe(1);
    expect(await inRange("palñ")).toBe(1);
    expect(await inRange("pam")).toBe(0);
    expect(await inRange("pa")).toBe(0);
  });
});
