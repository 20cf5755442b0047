import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { nameKey, nameKeySql, prefixEnd, searchWords } from "../../../worker/domain/plant-names";

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

  it("are the same in SQL (precompute) as in JS (queries)", async () => {
    for (const name of NAMES) {
      const sql = await env.DB.prepare(`SELECT ${nameKeySql("?1")} AS k`)
        .bind(name)
        .first<string>("k");
      expect(sql, name).toBe(nameKey(name));
    }
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
