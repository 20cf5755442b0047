// Independent fuel figures of an eGRID GEN CSV, for checking the page's fuel views against the
// file. Shares no code with worker/: papaparse over the file and EPA's table restated from
// data/egrid/README.md (FUELG1 code -> category; codes outside it count as OTHF).
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { egridNumber } from "./expected-plants";

const TABLE: Record<string, string[]> = {
  COAL: ["ANT", "BIT", "COG", "LIG", "RC", "SGC", "SUB", "WC"],
  OIL: ["DFO", "JF", "KER", "PC", "RFO", "WO", "SGP"],
  GAS: ["NG", "PG", "BU"],
  OFSL: ["BFG", "OG", "TDF", "MSN"],
  NUCLEAR: ["NUC"],
  HYDRO: ["WAT"],
  SOLAR: ["SUN"],
  WIND: ["WND"],
  GEOTHERMAL: ["GEO"],
  BIOMASS: ["AB", "BLQ", "LFG", "MSW", "MSB", "OBG", "OBL", "OBS", "SLW", "WDL", "WDS"],
  OTHF: ["H", "MWH", "OTH", "PRG", "PUR", "WH"],
};
const CATEGORY = new Map(Object.entries(TABLE).flatMap(([c, codes]) => codes.map((code) => [code, c] as const)));

export interface FuelRow {
  state: string;
  orispl: string;
  name: string;
  category: string;
  mwh: number | null;
}

/** Every generator of a file with FUELG1: its plant, category and known GENNTAN. */
export function generatorFuels(path: string): FuelRow[] {
  const text = readFileSync(path, "utf8").replace(/^\uFEFF/, "");
  const rows = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
  const headerIndex = rows.findIndex((r) => r.includes("FUELG1") && r.includes("GENNTAN"));
  if (headerIndex < 0) throw new Error(`${path}: no header row with FUELG1 and GENNTAN`);
  const header = rows[headerIndex] as string[];
  const col = (code: string) => header.findIndex((h) => h.trim() === code);
  const [s, o, n, f, g] = [col("PSTATABB"), col("ORISPL"), col("PNAME"), col("FUELG1"), col("GENNTAN")];
  return rows.slice(headerIndex + 1).map((r) => ({
    state: r[s] as string,
    orispl: r[o] as string,
    name: r[n] as string,
    category: CATEGORY.get((r[f] ?? "").trim().toUpperCase()) ?? "OTHF",
    mwh: egridNumber(r[g]),
  }));
}

/** Plants of a state by their known generation in one category, largest first (ties by name). */
export function topByFuel(gens: FuelRow[], state: string, category: string) {
  const plants = new Map<string, { name: string; mwh: number }>();
  for (const g of gens) {
    if (g.state !== state || g.category !== category || g.mwh === null) continue;
    const p = plants.get(g.orispl) ?? { name: g.name, mwh: 0 };
    p.mwh += g.mwh;
    plants.set(g.orispl, p);
  }
  return [...plants.values()].sort((a, b) => b.mwh - a.mwh || a.name.localeCompare(b.name));
}

/** A state's (or the nation's, state null) known generation per category. */
export function mixOf(gens: FuelRow[], state: string | null): Map<string, number> {
  const mix = new Map<string, number>();
  for (const g of gens) {
    if ((state && g.state !== state) || g.mwh === null) continue;
    mix.set(g.category, (mix.get(g.category) ?? 0) + g.mwh);
  }
  return mix;
}

/** Each positive category's share in per cent, one decimal, as the page writes it ("Gas 45.2%"). */
export function sharesText(mix: Map<string, number>, labels: Record<string, string>): string[] {
  const positive = [...mix].filter(([, v]) => v > 0);
  const total = positive.reduce((sum, [, v]) => sum + v, 0);
  return Object.keys(TABLE)
    .filter((c) => positive.some(([k]) => k === c))
    .map((c) => `${labels[c]} ${(((mix.get(c) ?? 0) / total) * 100).toFixed(1)}%`);
}

/** Plant totals by ORISPL (known GENNTAN only; null when every generator is blank). */
export function totalsByOrispl(gens: FuelRow[], state: string): Map<string, { name: string; mwh: number | null }> {
  const plants = new Map<string, { name: string; mwh: number | null }>();
  for (const g of gens) {
    if (g.state !== state) continue;
    const p = plants.get(g.orispl) ?? { name: g.name, mwh: null };
    if (g.mwh !== null) p.mwh = (p.mwh ?? 0) + g.mwh;
    plants.set(g.orispl, p);
  }
  return plants;
}

/** Largest increases from one year to the next, plants with known totals in both (by ORISPL). */
export function moversUp(before: FuelRow[], after: FuelRow[], state: string) {
  const old = totalsByOrispl(before, state);
  return [...totalsByOrispl(after, state)]
    .flatMap(([orispl, p]) => {
      const prev = old.get(orispl)?.mwh;
      return p.mwh === null || prev === null || prev === undefined ? [] : [{ name: p.name, change: p.mwh - prev }];
    })
    .sort((a, b) => b.change - a.change);
}
