import Papa from "papaparse";

// An independent reading of a real GEN file for the fuel tests: plain papaparse over the whole
// file, our own number rule, and EPA's category table copied from data/egrid/README.md (not
// imported from domain/fuels.ts, so a wrong mapping there cannot agree with itself).
const EPA_TABLE = `
COAL | ANT BIT COG LIG RC SGC SUB WC
OIL | DFO JF KER PC RFO WO SGP
GAS | NG PG BU
OFSL | BFG OG TDF MSN
NUCLEAR | NUC
HYDRO | WAT
SOLAR | SUN
WIND | WND
GEOTHERMAL | GEO
BIOMASS | AB BLQ LFG MSW MSB OBG OBL OBS SLW WDL WDS
OTHF | H MWH OTH PRG PUR WH`;

const CATEGORY = new Map<string, string>(
  EPA_TABLE.trim()
    .split("\n")
    .flatMap((line) => {
      const [category, codes] = line.split("|").map((s) => s.trim()) as [string, string];
      return codes.split(/\s+/).map((code) => [code, category] as [string, string]);
    }),
);

export const categoryOf = (code: string): string => CATEGORY.get(code.trim().toUpperCase()) ?? "OTHF";

function egridNumber(raw: string | undefined): number | null {
  const text = (raw ?? "").trim();
  if (text === "") return null;
  const value = Number(text.replace(/[(),]/g, ""));
  if (!Number.isFinite(value)) throw new Error(`not an eGRID number: ${JSON.stringify(raw)}`);
  return /^\(.*\)$/.test(text) ? -value : value;
}

export interface Sums {
  net: number | null;
  capacity: number | null;
  generators: number;
}

export interface IndependentPlant extends Sums {
  key: string;
  name: string;
  state: string;
  /** Per category. */
  fuels: Map<string, Sums>;
}

const add = (s: Sums, net: number | null, capacity: number | null) => {
  s.generators += 1;
  if (net !== null) s.net = (s.net ?? 0) + net;
  if (capacity !== null) s.capacity = (s.capacity ?? 0) + capacity;
};
const empty = (): Sums => ({ net: null, capacity: null, generators: 0 });

/** Plants of a file keyed as the API keys them (ORISPL as text), with sums per fuel category. */
export function independentPlants(bytes: Uint8Array): Map<string, IndependentPlant> {
  const rows = Papa.parse<string[]>(new TextDecoder().decode(bytes), { skipEmptyLines: true }).data;
  const header = rows.findIndex((r) => r.includes("GENNTAN"));
  const codes = rows[header] as string[];
  const at = (code: string) => codes.indexOf(code);
  const stateAt = Math.max(at("PSTATABB"), at("PSTATEABB"));
  const plants = new Map<string, IndependentPlant>();
  for (const row of rows.slice(header + 1)) {
    const state = row[stateAt] as string;
    const name = row[at("PNAME")] as string;
    const key = at("ORISPL") >= 0 ? (row[at("ORISPL")] as string) : `${state}:${name}`;
    const plant = plants.get(key) ?? {
      key,
      name,
      state,
      ...empty(),
      fuels: new Map(),
    };
    const net = egridNumber(row[at("GENNTAN")]);
    const capacity = egridNumber(row[at("NAMEPCAP")]);
    add(plant, net, capacity);
    const category = categoryOf(row[at("FUELG1")] ?? "");
    const sums = plant.fuels.get(category) ?? empty();
    add(sums, net, capacity);
    plant.fuels.set(category, sums);
    plants.set(key, plant);
  }
  return plants;
}

/** The plants with known generation in `category` (of `state`, or all), ranked by it, ties by name. */
export function fuelRanking(plants: Map<string, IndependentPlant>, category: string, state?: string) {
  return [...plants.values()]
    .filter((p) => (!state || p.state === state) && p.fuels.get(category)?.net != null)
    .map((p) => ({ plant: p, fuelNet: p.fuels.get(category)?.net as number }))
    .sort((a, b) => b.fuelNet - a.fuelNet || (a.plant.name < b.plant.name ? -1 : a.plant.name > b.plant.name ? 1 : 0));
}

/** Totals and per-category sums of a state (or of all plants for US). */
export function independentState(plants: Map<string, IndependentPlant>, code: string) {
  const inScope = [...plants.values()].filter((p) => code === "US" || p.state === code);
  const total = { plants: inScope.length, ...empty() };
  const fuels = new Map<string, Sums & { plants: number }>();
  for (const p of inScope) {
    total.generators += p.generators;
    if (p.net !== null) total.net = (total.net ?? 0) + p.net;
    if (p.capacity !== null) total.capacity = (total.capacity ?? 0) + p.capacity;
    for (const [category, s] of p.fuels) {
      const f = fuels.get(category) ?? { ...empty(), plants: 0 };
      f.plants += 1;
      f.generators += s.generators;
      if (s.net !== null) f.net = (f.net ?? 0) + s.net;
      if (s.capacity !== null) f.capacity = (f.capacity ?? 0) + s.capacity;
      fuels.set(category, f);
    }
  }
  const top = [...inScope].filter((p) => p.net !== null).sort((a, b) => (b.net as number) - (a.net as number))[0];
  return { total, fuels, top };
}
