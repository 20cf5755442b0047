import { env } from "cloudflare:workers";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { CHUNK_BYTES } from "../../../worker/ingest/start";
import { deliver, drain, steppedEnv } from "../helpers/drive";
import { type IngestionRow, ingestCsv, ingestionIdOfKey, putObject, realDataFile } from "../helpers/ingest";

// The real EPA files of 2021 (UTF-8 BOM, SEQGEN without year digits) and 2022, through R2 ->
// queue -> D1, checked against an independent reading (plain papaparse over the whole file, our
// own number rule, plants by ORISPL) and against the facts measured in data/egrid/README.md.

interface Plant {
  name: string;
  state: string;
  net: number | null;
  generators: number;
}

function egridNumber(raw: string): number | null {
  const text = raw.trim();
  if (text === "") return null;
  const value = Number(text.replace(/[(),]/g, ""));
  if (!Number.isFinite(value)) throw new Error(`not an eGRID number: ${JSON.stringify(raw)}`);
  return /^\(.*\)$/.test(text) ? -value : value;
}

function independentPlants(bytes: Uint8Array): { rows: number; plants: Map<string, Plant> } {
  const text = new TextDecoder().decode(bytes); // strips the BOM
  const rows = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
  const header = rows.findIndex((r) => r.includes("GENNTAN"));
  const codes = rows[header] as string[];
  const at = (code: string) => codes.indexOf(code);
  const plants = new Map<string, Plant>();
  const data = rows.slice(header + 1);
  for (const row of data) {
    const key = row[at("ORISPL")] as string;
    const plant = plants.get(key) ?? {
      name: row[at("PNAME")] as string,
      state: row[at("PSTATABB")] as string,
      net: null,
      generators: 0,
    };
    plant.generators++;
    const mwh = egridNumber(row[at("GENNTAN")] as string);
    if (mwh !== null) plant.net = (plant.net ?? 0) + mwh;
    plants.set(key, plant);
  }
  return { rows: data.length, plants };
}

const byNet = (plants: Plant[]) =>
  [...plants].filter((p) => p.net !== null).sort((a, b) => (b.net ?? 0) - (a.net ?? 0));

async function storedPlants(ingestionId: string): Promise<Map<string, Plant>> {
  const { results } = await env.DB.prepare(
    "SELECT plant_key, name, state, net_generation_mwh AS net, generator_count AS generators FROM plants WHERE ingestion_id = ?",
  )
    .bind(ingestionId)
    .all<Plant & { plant_key: string }>();
  return new Map(results.map(({ plant_key, ...plant }) => [plant_key, plant]));
}

const YEARS = [
  {
    file: "egrid2021_gen21.csv",
    year: 2021,
    rows: 25_031,
    plants: 11_394,
    top: [
      ["Palo Verde", "AZ", 31_629_861],
      ["Browns Ferry", "AL", 31_053_552],
      ["Peach Bottom", "PA", 22_268_244],
      ["Oconee", "SC", 22_206_463],
      ["South Texas Project", "TX", 20_855_004],
    ],
    lowest: ["Bath County", "VA", -750_348],
  },
  {
    file: "egrid2022_gen22.csv",
    year: 2022,
    rows: 25_843,
    plants: 11_973,
    top: [
      ["Palo Verde", "AZ", 31_942_794],
      ["Browns Ferry", "AL", 29_325_462],
      ["Peach Bottom", "PA", 22_183_803],
      ["South Texas Project", "TX", 21_919_886],
      ["Grand Coulee", "WA", 21_176_207],
    ],
    lowest: ["Bath County", "VA", -1_121_754],
  },
] as const;

for (const facts of YEARS) {
  describe(`the real eGRID ${facts.year} file (data/egrid/${facts.file}) loads exactly`, async () => {
    const bytes = await realDataFile(facts.file);
    const expected = independentPlants(bytes);

    function check(record: IngestionRow, plants: Map<string, Plant>) {
      expect(record).toMatchObject({
        status: "done",
        data_year: facts.year,
        rows_read: facts.rows,
        rows_loaded: facts.rows,
        rows_rejected: 0,
        plant_count: facts.plants,
      });
      // The independent reading agrees with the measured facts, and the pipeline with both.
      expect(expected.rows).toBe(facts.rows);
      expect(expected.plants.size).toBe(facts.plants);
      const view = (p: Plant) => [p.name, p.state, p.net];
      expect(
        byNet([...expected.plants.values()])
          .slice(0, 5)
          .map(view),
      ).toEqual(facts.top);
      expect(
        byNet([...plants.values()])
          .slice(0, 5)
          .map(view),
      ).toEqual(facts.top);
      expect(
        byNet([...plants.values()])
          .map(view)
          .at(-1),
      ).toEqual(facts.lowest);
      expect(plants).toEqual(expected.plants);
    }

    it("in the default 512 KiB chunks through the real queue", async () => {
      const record = await ingestCsv(bytes, `real-years/${facts.file}`);
      expect(record.chunk_count).toBeGreaterThanOrEqual(Math.floor(bytes.length / CHUNK_BYTES));
      expect(record.chunk_count).toBeLessThanOrEqual(Math.ceil(bytes.length / CHUNK_BYTES));
      check(record, await storedPlants(record.id));
    }, 120_000);

    it("in many small chunks (odd size, so cuts fall anywhere)", async () => {
      const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: "100003" });
      const key = `real-years/chunked/${facts.file}`;
      await deliver(testEnv, await putObject(key, bytes));
      await drain(testEnv);
      const id = await ingestionIdOfKey(key);
      const record = await env.DB.prepare("SELECT * FROM ingestions WHERE id = ?").bind(id).first<IngestionRow>();
      if (!record) throw new Error("no ingestion record");
      expect(record.chunk_count).toBeGreaterThanOrEqual(30);
      check(record, await storedPlants(id));
    }, 120_000);
  });
}
