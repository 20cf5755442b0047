import { describe, expect, it } from "vitest";
import type { GeneratorRow } from "../../../worker/ingest/parse/generator-row";
import { maxText, PlantPartCollector } from "../../../worker/ingest/plant-parts";

function row(line: number, fields: Partial<GeneratorRow>): GeneratorRow {
  return {
    line,
    seq: line - 2,
    dataYear: 2023,
    plantKey: "TX:A",
    state: "TX",
    plantName: "A",
    orispl: null,
    generatorId: `G${line}`,
    netGenerationMwh: null,
    status: null,
    primeMover: null,
    fuel: null,
    capacityMw: null,
    capacityFactor: null,
    yearOnline: null,
    yearRetired: null,
    ...fields,
  };
}

function partsOf(rows: GeneratorRow[]): unknown[][] {
  const collector = new PlantPartCollector();
  for (const r of rows) collector.add(r);
  // Trailing unknowns are left out of the JSON; put them back so positions can be compared.
  return collector.tuples().map((t) => {
    const tuple = JSON.parse(t) as unknown[];
    while (tuple.length < 12) tuple.push(null);
    return tuple;
  });
}

describe("plant parts of a chunk", () => {
  it("samples every step-th plant key in order, from the middle of each step, to cut merge ranges", () => {
    const collector = new PlantPartCollector();
    // Ten plants, each with two generators, arriving out of key order.
    const keys = ["07", "03", "10", "01", "05", "09", "02", "08", "04", "06"];
    let line = 3;
    for (const key of keys) for (let g = 0; g < 2; g++) collector.add(row(line++, { plantKey: key }));
    expect(collector.keySample(1)).toEqual(["01", "02", "03", "04", "05", "06", "07", "08", "09", "10"]);
    expect(collector.keySample(4)).toEqual(["02", "06", "10"]);
    expect(collector.keySample(3)).toEqual(["02", "05", "08"]);
    expect(collector.keySample(20)).toEqual(["10"]);
    expect(collector.keySample(30)).toEqual([]);
    // The parts are written in the same key order.
    expect(collector.tuples().map((t) => JSON.parse(t)[0])).toEqual(collector.keySample(1));
  });

  it("sums known values only, counts unknowns, and keeps NULL when nothing is known", () => {
    const [part] = partsOf([
      row(3, { netGenerationMwh: 20_961, capacityMw: null }),
      row(4, { netGenerationMwh: null }),
      row(5, { netGenerationMwh: -11 }),
    ]);
    // key, state, name, net, generators, unknown, seqs, orispl, capacity, fuel, fuel capacity, fuel line
    expect(part).toEqual(["TX:A", "TX", "A", 20_950, 3, 1, [1, 2, 3], null, null, null, null, null]);
    expect(partsOf([row(3, {})])[0]?.[3]).toBeNull();
  });

  it("leaves trailing unknowns out of the JSON", () => {
    const collector = new PlantPartCollector();
    collector.add(row(3, { netGenerationMwh: 5 }));
    collector.add(row(4, { plantKey: "7", orispl: 7, fuel: "NG", capacityMw: 2 }));
    expect(collector.tuples()).toEqual(['["7","TX","A",null,1,1,[2],7,2,"NG",2,4]', '["TX:A","TX","A",5,1,0,[1]]']);
  });

  it("sums without drift where a naive sum loses digits", () => {
    const values = [1e16, 1, -1e16, 0.1, 0.2];
    const [part] = partsOf(values.map((v, i) => row(3 + i, { netGenerationMwh: v })));
    expect(part?.[3]).toBeCloseTo(1.3, 12);
    expect(values.reduce((a, b) => a + b)).not.toBeCloseTo(1.3, 12); // what a plain loop gives
  });

  it("takes the fuel of the largest generator that has one: unknown capacity last, then the earlier line", () => {
    const pick = (rows: GeneratorRow[]) => partsOf(rows)[0]?.slice(9, 12);
    expect(pick([row(3, { fuel: "GAS", capacityMw: null }), row(4, { fuel: "COAL", capacityMw: 5 })])).toEqual([
      "COAL",
      5,
      4,
    ]);
    expect(pick([row(3, { fuel: "GAS", capacityMw: 5 }), row(4, { fuel: "COAL", capacityMw: 5 })])).toEqual([
      "GAS",
      5,
      3,
    ]);
    expect(pick([row(3, { fuel: null, capacityMw: 900 }), row(4, { fuel: "SUN", capacityMw: 1 })])).toEqual([
      "SUN",
      1,
      4,
    ]);
    expect(pick([row(3, { fuel: "WND", capacityMw: null }), row(4, { fuel: "SUN", capacityMw: null })])).toEqual([
      "WND",
      null,
      3,
    ]);
  });

  it("keeps SQLite's max() of names and codes, in code point (UTF-8) order", () => {
    // UTF-16 order puts U+FF61 after the emoji's surrogates; SQLite's BINARY order does not.
    expect(maxText("\uFF61", "😀")).toBe("😀");
    expect("\uFF61" > "😀").toBe(true);
    expect(maxText("Abc", "Abd")).toBe("Abd");
    expect(maxText("Ab", "Abc")).toBe("Abc");
    const [part] = partsOf([
      row(3, { plantKey: "1", plantName: "B", orispl: 1 }),
      row(4, { plantKey: "1", plantName: "C", orispl: null }),
    ]);
    expect([part?.[0], part?.[1], part?.[2], part?.[7]]).toEqual(["1", "TX", "C", 1]);
  });

  it("lists the parts in plant-key order with each plant's sequence numbers", () => {
    const parts = partsOf([
      row(3, { plantKey: "TX:B", plantName: "B" }),
      row(4, { plantKey: "TX:A", plantName: "A" }),
      row(5, { plantKey: "TX:B", plantName: "B" }),
    ]);
    expect(parts.map((p) => [p[0], p[4], p[6]])).toEqual([
      ["TX:A", 1, [2]],
      ["TX:B", 2, [1, 3]],
    ]);
  });
});
