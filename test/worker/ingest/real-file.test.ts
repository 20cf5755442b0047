import { describe, expect, it } from "vitest";
import { parseGeneratorRecords } from "../../../worker/ingest/parse/generator-csv";
import type { GeneratorRow } from "../../../worker/ingest/parse/generator-row";
import { HEAD_BYTES, inspectHead } from "../../../worker/ingest/parse/head";
import { realDataFile } from "../helpers/ingest";

const bytes = await realDataFile("egrid2023_gen23.csv");

async function* pieces(data: Uint8Array, size: number) {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

describe("parsing the real eGRID 2023 GEN file", () => {
  it("reads every generator with the measured facts", async () => {
    const data = bytes as Uint8Array;
    const inspected = inspectHead(data.subarray(0, HEAD_BYTES), false);
    if (!inspected.ok) throw new Error(inspected.error);
    const { head } = inspected;
    expect(head.dataYear).toBe(2023);
    expect(head.newline).toBe("\r\n");
    expect(head.firstDataLine).toBe(3);

    const rows: GeneratorRow[] = [];
    let rejected = 0;
    // Odd piece size: records and multi-byte boundaries fall across pieces.
    for await (const batch of parseGeneratorRecords(pieces(data.subarray(head.dataStart), 7919), {
      ...head,
      firstLine: head.firstDataLine,
    })) {
      rows.push(...batch.rows);
      rejected += batch.rejections.length;
    }
    expect(rejected).toBe(0);
    expect(rows).toHaveLength(26_601);
    expect(rows.filter((r) => r.netGenerationMwh === null)).toHaveLength(705);
    // 985 cells are in accounting format " (n)"; four of them are " (0)", which is zero.
    expect(rows.filter((r) => (r.netGenerationMwh ?? 0) < 0)).toHaveLength(981);
    expect(rows.filter((r) => Object.is(r.netGenerationMwh, -0))).toHaveLength(0);
    expect(new Set(rows.map((r) => r.state)).size).toBe(52);
    expect(rows[0]).toMatchObject({ line: 3, seq: 1, state: "AK", plantName: "Alakanuk", netGenerationMwh: 0 });
    expect(rows[1]).toMatchObject({ line: 4, plantName: "Allison Creek Hydro", netGenerationMwh: 20_961 });

    const plants = new Map<string, number>();
    for (const row of rows) plants.set(row.plantKey, (plants.get(row.plantKey) ?? 0) + (row.netGenerationMwh ?? 0));
    expect(plants.size).toBe(12_606);
    const top = [...plants.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
    expect(top).toEqual([
      ["AZ:Palo Verde", 31_522_590],
      ["AL:Browns Ferry", 30_820_510],
      ["GA:Vogtle", 23_036_612],
      ["SC:Oconee", 22_246_735],
      ["PA:Peach Bottom", 22_197_093],
    ]);
    const lowest = [...plants.entries()].sort((a, b) => a[1] - b[1])[0];
    expect(lowest).toEqual(["VA:Bath County", -1_034_280]);
  });
});
