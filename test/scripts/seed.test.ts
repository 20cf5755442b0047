// What `npm start` loads (scripts/lib/seed.ts), without a stack: the files a seed stands for,
// the ingestion id a later start looks for, and what the log and banner say about each file.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestionIdFor } from "../../domain/r2-events";
import {
  describeSeeded,
  describeSeedResult,
  expectedIngestionId,
  type SeedResult,
  seedFiles,
} from "../../scripts/lib/seed.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "egrid-seed-test-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const result = (over: Partial<SeedResult>): SeedResult => ({
  year: 2023,
  path: "/nowhere/egrid2023_gen23.csv",
  key: "data/egrid/egrid2023_gen23.csv",
  synthetic: false,
  ingestionId: "0123456789abcdef01234567",
  status: "done",
  error: null,
  rowsLoaded: 26_601,
  plantCount: 12_606,
  loadedNow: true,
  active: true,
  activeKey: null,
  ...over,
});

describe("seedFiles", () => {
  it('"real" is the three shipped eGRID files, newest first, keyed by their path in the repository', async () => {
    const files = await seedFiles("real", dir);
    expect(files.map((f) => [f.year, f.key, f.synthetic])).toEqual([
      [2023, "data/egrid/egrid2023_gen23.csv", false],
      [2022, "data/egrid/egrid2022_gen22.csv", false],
      [2021, "data/egrid/egrid2021_gen21.csv", false],
    ]);
    for (const f of files) expect((await readFile(f.path)).length).toBeGreaterThan(1_000_000);
  });

  it('"sample" is a generated file under synthetic/, every plant named "Synthetic …"', async () => {
    const [file] = await seedFiles("sample", dir);
    expect(file).toMatchObject({ year: 2023, key: "synthetic/egrid-synthetic-2023.csv", synthetic: true });
    const rows = Papa.parse<string[]>(await readFile(file?.path ?? "", "utf8")).data.slice(2);
    expect(rows.length).toBe(26_601);
    expect(rows.filter((r) => !r[3]?.startsWith("Synthetic "))).toEqual([]);
  });

  it('"none" is nothing; a path is that file under uploads/; a missing path says so', async () => {
    expect(await seedFiles("none", dir)).toEqual([]);
    const [file] = await seedFiles("data/egrid/egrid2022_gen22.csv", dir);
    expect(file).toMatchObject({ year: null, key: "uploads/egrid2022_gen22.csv", synthetic: false });
    await expect(seedFiles(join(dir, "absent.csv"), dir)).rejects.toThrow(/seed file not found: .*absent\.csv/);
  });
});

describe("expectedIngestionId", () => {
  it("is the Worker's id for the file's MD5 eTag, so a later start finds the ingestion", async () => {
    const [file] = await seedFiles("real", dir);
    const path = file?.path ?? "";
    const { createHash } = await import("node:crypto");
    const md5 = createHash("md5")
      .update(await readFile(path))
      .digest("hex");
    expect(await expectedIngestionId("egrid-uploads", "data/egrid/egrid2023_gen23.csv", path)).toBe(
      await ingestionIdFor("egrid-uploads", "data/egrid/egrid2023_gen23.csv", `"${md5}"`),
    );
    expect(await expectedIngestionId("egrid-uploads", "other/key.csv", path)).not.toBe(
      await expectedIngestionId("egrid-uploads", "data/egrid/egrid2023_gen23.csv", path),
    );
  });
});

describe("what start says", () => {
  it("names a file that failed, its ingestion and the ingestion's error", () => {
    const failed = result({
      year: 2021,
      path: "/nowhere/egrid2021_gen21.csv",
      status: "failed",
      error: "Not an eGRID generator (GEN) sheet",
      active: false,
    });
    expect(describeSeedResult(failed)).toBe(
      "2021: /nowhere/egrid2021_gen21.csv FAILED to load (ingestion 0123456789abcdef01234567 failed): Not an eGRID generator (GEN) sheet",
    );
    expect(describeSeeded([result({}), failed], "real")).toBe(
      "EPA eGRID files from data/egrid/: 2023, 2021 FAILED (why: the [stack] lines above)",
    );
  });

  it("says how to load a withdrawn (deleted) file again", () => {
    expect(describeSeedResult(result({ status: "retracted", loadedNow: false, active: false }))).toBe(
      "2023: /nowhere/egrid2023_gen23.csv was withdrawn (its object was deleted; ingestion 0123456789abcdef01234567): load it again with npm run upload -- /nowhere/egrid2023_gen23.csv --wait",
    );
  });

  it("tells loaded from already loaded, and a year that serves a later upload", () => {
    expect(describeSeedResult(result({}))).toBe(
      "2023: /nowhere/egrid2023_gen23.csv loaded (26,601 generators, 12,606 plants).",
    );
    expect(describeSeedResult(result({ loadedNow: false, active: false, activeKey: "uploads/mine.csv" }))).toBe(
      "2023: /nowhere/egrid2023_gen23.csv already loaded (26,601 generators, 12,606 plants), but 2023 serves uploads/mine.csv, uploaded later.",
    );
  });

  it("says SYNTHETIC wherever the generated sample shows", () => {
    const sample = result({ synthetic: true, key: "synthetic/egrid-synthetic-2023.csv" });
    expect(describeSeedResult(sample)).toContain("(SYNTHETIC: invented plants)");
    expect(describeSeeded([sample], "sample")).toBe("SYNTHETIC sample, invented plants (not EPA data): 2023");
    expect(describeSeeded([], "none")).toBe("nothing loaded (--seed none)");
  });
});
