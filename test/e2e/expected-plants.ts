// Independent ranking of plants from an eGRID GEN CSV, for checking the page against the file.
// Deliberately shares no code with worker/ingest: papaparse over the whole file, one pass.
import { readFileSync } from "node:fs";
import Papa from "papaparse";

export interface ExpectedPlant {
  state: string;
  name: string;
  /** Sum of known GENNTAN; null when every generator is blank (unknown). */
  netGenerationMwh: number | null;
  /** Generator rows of the plant in the file. */
  generators: number;
}

/** eGRID number cell: "20,961" -> 20961, " (11)" -> -11, blank -> null. */
export function egridNumber(raw: string | undefined): number | null {
  const text = (raw ?? "").trim();
  if (text === "") return null;
  const negative = /^\(.*\)$/.test(text);
  const value = Number(text.replace(/[(),]/g, ""));
  if (!Number.isFinite(value)) throw new Error(`not an eGRID number: ${JSON.stringify(raw)}`);
  return negative ? -value : value;
}

/** All plants of the file, keyed by (state, name) since the trimmed file has no ORISPL. */
export function plantsFromCsv(path: string): ExpectedPlant[] {
  const rows = Papa.parse<string[]>(readFileSync(path, "utf8"), { skipEmptyLines: true }).data;
  const headerIndex = rows.findIndex((r) => r.includes("PNAME") && r.includes("GENNTAN"));
  if (headerIndex < 0) throw new Error(`${path}: no header row with PNAME and GENNTAN`);
  const header = rows[headerIndex] as string[];
  const col = (...codes: string[]) => header.findIndex((h) => codes.includes(h.trim()));
  const [stateCol, nameCol, genCol] = [col("PSTATEABB", "PSTATABB"), col("PNAME"), col("GENNTAN")];
  const plants = new Map<string, ExpectedPlant>();
  for (const row of rows.slice(headerIndex + 1)) {
    const state = row[stateCol] as string;
    const name = row[nameCol] as string;
    const key = `${state}\u0000${name}`;
    const plant = plants.get(key) ?? { state, name, netGenerationMwh: null, generators: 0 };
    plant.generators += 1;
    const mwh = egridNumber(row[genCol]);
    if (mwh !== null) plant.netGenerationMwh = (plant.netGenerationMwh ?? 0) + mwh;
    plants.set(key, plant);
  }
  return [...plants.values()];
}

/** The API's ranking rule: net generation descending, ties by name, unknown last. */
export function rank(plants: ExpectedPlant[], state?: string): ExpectedPlant[] {
  return plants
    .filter((p) => !state || p.state === state)
    .sort((a, b) => {
      if (a.netGenerationMwh === null || b.netGenerationMwh === null) {
        return (
          (a.netGenerationMwh === null ? 1 : 0) - (b.netGenerationMwh === null ? 1 : 0) || a.name.localeCompare(b.name)
        );
      }
      return b.netGenerationMwh - a.netGenerationMwh || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    });
}
