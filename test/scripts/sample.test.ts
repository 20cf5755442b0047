import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatMwh, parseByteSize, writeSampleGenCsv } from "../../scripts/lib/sample.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "egrid-sample-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = async (path: string) =>
  createHash("sha256")
    .update(await readFile(path))
    .digest("hex");

/** GENNTAN read the way a reader of EPA's file would, independently of the generator. */
function readMwh(text: string): number | null {
  const t = text.trim();
  if (t === "") return null;
  const negative = /^\((.*)\)$/.exec(t);
  const n = Number((negative ? (negative[1] ?? "") : t).replaceAll(",", ""));
  if (Number.isNaN(n)) throw new Error(`unreadable GENNTAN '${text}'`);
  return negative ? -n : n;
}

describe("writeSampleGenCsv", () => {
  it("writes the same bytes for the same seed and different bytes for another seed", async () => {
    const a = await writeSampleGenCsv(join(dir, "a.csv"), { rows: 5000, seed: 7 });
    const b = await writeSampleGenCsv(join(dir, "b.csv"), { rows: 5000, seed: 7 });
    const c = await writeSampleGenCsv(join(dir, "c.csv"), { rows: 5000, seed: 8 });
    expect(await sha(a.path)).toBe(await sha(b.path));
    expect(await sha(a.path)).not.toBe(await sha(c.path));
    expect({ ...a, path: "" }).toEqual({ ...b, path: "" });
  });

  it("has the layout and quirks of EPA's GEN sheet, and its facts match the file", async () => {
    const facts = await writeSampleGenCsv(join(dir, "gen.csv"), { rows: 30_000, seed: 1, year: 2022 });
    const text = await readFile(facts.path, "latin1");
    expect(facts.bytes).toBe((await stat(facts.path)).size);
    expect(text).not.toMatch(/[^\r]\n/); // CRLF only
    expect(text.endsWith("\n")).toBe(false); // like EPA's file: no newline after the last row
    const lines = text.split("\r\n");
    expect(lines[0]).toMatch(/^Generator file sequence number,Data Year,Plant state abbreviation,/);
    expect(lines[1]).toBe("SEQGEN22,YEAR,PSTATEABB,PNAME,GENID,GENNTAN");

    const rows = Papa.parse<string[]>(lines.slice(2).join("\r\n"), { newline: "\r\n" }).data;
    expect(rows).toHaveLength(facts.rows);
    expect(facts.rows).toBe(30_000);
    expect(rows.every((r) => r.length === 6 && r[1] === "2022")).toBe(true);
    expect(rows.map((r) => Number(r[0]))).toEqual(rows.map((_, i) => i + 1));
    expect(new Set(rows.map((r) => r[2])).size).toBe(52);
    // Invented plants, named so they cannot pass for EPA's.
    expect(rows.filter((r) => !r[3]?.startsWith("Synthetic "))).toEqual([]);
    expect(facts.states).toHaveLength(52);

    const values = rows.map((r) => readMwh(r[5] as string));
    expect(values.filter((v) => v === null)).toHaveLength(facts.unknownGenerators);
    expect(values.filter((v) => v !== null && v < 0)).toHaveLength(facts.negativeGenerators);
    expect(facts.unknownGenerators).toBeGreaterThan(100);
    expect(facts.negativeGenerators).toBeGreaterThan(100);
    // Every number format of the real file is present.
    expect(text).toMatch(/,"\d{1,3},\d{3}"\r\n/); // "20,961"
    expect(text).toMatch(/,\d{1,3}\r\n/); // 451
    expect(text).toMatch(/, \(\d{1,3}\)\r\n/); // " (11)" unquoted
    expect(text).toMatch(/," \(\d{1,3},\d{3}\)"\r\n/); // " (1,131)" quoted
    expect(text).toMatch(/,\r\n/); // blank
    expect(text).toMatch(/,-?\d+\.\d+\r\n/); // a decimal
    expect(text).toMatch(/^\d+,2022,[A-Z]{2},"[^"\r\n]*,[^"\r\n]*",/m); // quoted name with a comma

    // Plant identity is (state, name); totals are sums of known GENNTAN.
    const plants = new Map<string, number | null>();
    for (const [i, r] of rows.entries()) {
      const key = `${r[2]}\u0000${r[3]}`;
      const v = values[i] ?? null;
      const prev = plants.get(key) ?? null;
      plants.set(key, v === null ? prev : (prev ?? 0) + v);
    }
    expect(plants.size).toBe(facts.plants);
    const top = [...plants.entries()]
      .filter((e): e is [string, number] => e[1] !== null)
      .sort((x, y) => y[1] - x[1])
      .slice(0, 5)
      .map(([key, total]) => ({ key, total }));
    expect(top).toEqual(facts.topPlants.map((p) => ({ key: `${p.state}\u0000${p.name}`, total: p.netGenerationMwh })));
  });

  it("stops at a byte target within one row, streaming", async () => {
    const target = 3_000_000;
    const facts = await writeSampleGenCsv(join(dir, "bytes.csv"), { bytes: target, seed: 3 });
    const size = (await stat(facts.path)).size;
    expect(size).toBe(facts.bytes);
    expect(size).toBeGreaterThanOrEqual(target);
    expect(size - target).toBeLessThan(200);
    const text = await readFile(facts.path, "latin1");
    expect(text.split("\r\n").length - 2).toBe(facts.rows);
  });

  it("writes the 17-column layout with ORISPL as plant identity", async () => {
    const facts = await writeSampleGenCsv(join(dir, "full.csv"), { rows: 20_000, full: true, seed: 1 });
    const lines = (await readFile(facts.path, "latin1")).split("\r\n");
    expect(lines[1]).toBe(
      "SEQGEN23,YEAR,PSTATEABB,PNAME,ORISPL,GENID,NUMBLR,GENSTAT,PRMVR,FUELG1,NAMEPCAP,CFACT,GENNTAN,GENNTOZ,GENERSRC,GENYRONL,GENYRRET",
    );
    const rows = Papa.parse<string[]>(lines.slice(2).join("\r\n")).data;
    expect(rows.every((r) => r.length === 17)).toBe(true);
    expect(new Set(rows.map((r) => r[4])).size).toBe(facts.plants);
    // Some plants share a state and name but not an ORISPL, as in real full exports.
    expect(new Set(rows.map((r) => `${r[2]}|${r[3]}`)).size).toBeLessThan(facts.plants);
  });
});

describe("formatMwh and parseByteSize", () => {
  it("formats net generation like EPA's export", () => {
    expect(formatMwh(20961)).toBe("20,961");
    expect(formatMwh(1776490)).toBe("1,776,490");
    expect(formatMwh(451)).toBe("451");
    expect(formatMwh(-11)).toBe(" (11)");
    expect(formatMwh(-18847)).toBe(" (18,847)");
    expect(formatMwh(null)).toBe("");
    expect(formatMwh(-11.383)).toBe("-11.383");
  });

  it("reads sizes", () => {
    expect(parseByteSize("100MB")).toBe(100_000_000);
    expect(parseByteSize("1.5gb")).toBe(1_500_000_000);
    expect(parseByteSize("512")).toBe(512);
    expect(() => parseByteSize("lots")).toThrow(/not a size/);
  });
});
