// Writes a synthetic (invented plants, named "Synthetic …"), deterministic eGRID GEN-sheet CSV, streaming (a 100 MB file never sits in
// memory), with the quirks of the real EPA export (see data/egrid/README.md): two header
// rows, CRLF and no newline after the last row, quoted names with commas, GENNTAN as "20,961",
// 451, " (11)" / " (1,131)" accounting negatives, blanks for unknown, and a few decimals.
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import {
  createRandom,
  pickWeighted,
  placeName,
  type Random,
  STATE_CODES,
  STATE_WEIGHTS,
  TECHNOLOGIES,
  type Technology,
} from "./sample-plants.ts";

type Tech = Technology;
type Generator = { id: string; mwh: number | null; tech: Tech };
type Plant = { index: number; state: string; name: string; orispl: number; generators: Generator[] };

export interface SamplePlantFact {
  state: string;
  name: string;
  orispl: number;
  netGenerationMwh: number;
}

export interface SampleOptions {
  rows?: number;
  bytes?: number;
  year?: number;
  seed?: number;
  full?: boolean;
}

/** What {@link writeSampleGenCsv} wrote: the facts a pipeline must reproduce from the file. */
export type SampleFacts = Awaited<ReturnType<typeof writeSampleGenCsv>>;

export const DEFAULT_SAMPLE_ROWS = 26_601;
/** Every generated plant name starts with this: the plants are invented. */
export const SYNTHETIC_PREFIX = "Synthetic ";

const SHORT_COLUMNS = [
  ["SEQGEN", "Generator file sequence number"],
  ["YEAR", "Data Year"],
  ["PSTATEABB", "Plant state abbreviation"],
  ["PNAME", "Plant name"],
  ["GENID", "Generator ID"],
  ["GENNTAN", "Generator annual net generation (MWh)"],
];
const FULL_COLUMNS = [
  ["SEQGEN", "Generator file sequence number"],
  ["YEAR", "Data Year"],
  ["PSTATEABB", "Plant state abbreviation"],
  ["PNAME", "Plant name"],
  ["ORISPL", "DOE/EIA ORIS plant or facility code"],
  ["GENID", "Generator ID"],
  ["NUMBLR", "Number of associated boilers"],
  ["GENSTAT", "Generator status"],
  ["PRMVR", "Generator prime mover type"],
  ["FUELG1", "Generator primary fuel"],
  ["NAMEPCAP", "Generator nameplate capacity (MW)"],
  ["CFACT", "Generator capacity factor"],
  ["GENNTAN", "Generator annual net generation (MWh)"],
  ["GENNTOZ", "Generator ozone season net generation (MWh)"],
  ["GENERSRC", "Generation data source"],
  ["GENYRONL", "Generator year on-line"],
  ["GENYRRET", "Generator planned or actual retirement year"],
];

/** The column codes of a sample file, e.g. SEQGEN23,YEAR,PSTATEABB,PNAME,GENID,GENNTAN. */
export function sampleColumns({ year = 2023, full = false } = {}) {
  const yy = String(year % 100).padStart(2, "0");
  return (full ? FULL_COLUMNS : SHORT_COLUMNS).map(([code]) => (code === "SEQGEN" ? `SEQGEN${yy}` : code));
}

/** CSV field quoting (RFC 4180): quote when the value holds a comma, quote or line break. */
export function csvField(value: unknown): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** 1234567 -> "1,234,567" (faster than toLocaleString across millions of rows). */
function thousands(n: number) {
  const digits = String(Math.round(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return out;
}

/** GENNTAN as EPA's export writes it: "20,961", 451, " (11)", " (1,131)", "" (unknown). */
export function formatMwh(value: number | null): string {
  if (value === null) return "";
  if (!Number.isInteger(value)) return String(value);
  return value < 0 ? ` (${thousands(-value)})` : thousands(value);
}

function logUniform(rand: Random, [lo, hi]: [number, number]) {
  const sign = lo < 0 ? -1 : 1;
  const [a, b] = sign < 0 ? [-hi, -lo] : [Math.max(lo, 1), hi];
  return sign * Math.exp(Math.log(a) + rand() * (Math.log(b) - Math.log(a)));
}
const between = (rand: Random, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

/** One plant: its identity and generators, with net generation already decided. */
function makePlant(rand: Random, index: number, state: string, full: boolean, previous: Plant | null): Plant {
  const tech = pickWeighted(rand, TECHNOLOGIES, (t) => t.weight);
  const suffix = tech.suffixes[Math.floor(rand() * tech.suffixes.length)];
  // Invented plants must never pass for real ones (on the page, in the API, in a benchmark).
  let name = [SYNTHETIC_PREFIX.trim(), placeName(index, rand), suffix].filter(Boolean).join(" ");
  if (rand() < 0.0005) name = `${name} "Unit ${between(rand, 1, 9)}"`; // embedded quotes
  // Full exports identify plants by ORISPL; two plants in a state can share a name there.
  if (full && previous && previous.state === state && rand() < 0.002) name = previous.name;
  const allUnknown = rand() < 0.015;
  const count = between(rand, tech.gens[0], tech.gens[1]);
  const generators: Generator[] = [];
  for (let g = 0; g < count; g++) {
    const baseId = tech.ids[g % tech.ids.length];
    const id = g < tech.ids.length ? `${baseId}` : `${baseId}-${g}`;
    let mwh: number | null = Math.round(logUniform(rand, tech.mwh));
    if (tech.kind === "diesel" && rand() < 0.1) mwh = 0;
    if (tech.kind === "pumped-storage" && rand() < 0.1) mwh = -mwh; // a unit that generated net
    if (rand() < 0.001) mwh = Math.round((rand() * 1000 - 100) * 1000) / 1000; // e.g. -11.383
    if (allUnknown || rand() < 0.012) mwh = null;
    generators.push({ id, mwh, tech });
  }
  return { index, state, name, orispl: 1000 + index * 3 + between(rand, 0, 2), generators };
}

function fullFields(rand: Random, plant: Plant, gen: Generator, year: number) {
  const { tech, mwh } = gen;
  const cf = tech.cf[0] + rand() * (tech.cf[1] - tech.cf[0]);
  const capacity = mwh && cf > 0 ? Math.abs(mwh) / (8760 * cf) : 1 + rand() * 300;
  const online = between(rand, tech.kind === "solar" || tech.kind === "battery" ? 2008 : 1950, year);
  return [
    plant.orispl,
    gen.id,
    tech.prmvr[0] === "ST" ? between(rand, 1, 3) : "",
    rand() < 0.95 ? "OP" : rand() < 0.5 ? "SB" : "OS",
    tech.prmvr[Math.floor(rand() * tech.prmvr.length)],
    tech.fuel[Math.floor(rand() * tech.fuel.length)],
    capacity.toFixed(1),
    mwh === null || cf === 0 ? "" : cf.toFixed(4),
    formatMwh(mwh),
    formatMwh(mwh === null ? null : Math.round((mwh * 5) / 12)),
    rand() < 0.9 ? "EIA-923 Generator File" : "Distributed from EIA-923 Prime Mover Level Data",
    online,
    rand() < 0.03 ? between(rand, year + 1, year + 10) : "",
  ];
}

/** Top five plants by summed known GENNTAN, kept incrementally (constant memory). */
function keepTop(top: SamplePlantFact[], plant: Plant, total: number | null) {
  if (total === null) return;
  top.push({ state: plant.state, name: plant.name, orispl: plant.orispl, netGenerationMwh: total });
  top.sort((a, b) => b.netGenerationMwh - a.netGenerationMwh);
  if (top.length > 5) top.pop();
}

/**
 * Streams a GEN-format CSV to `path` and returns what it wrote, so tests can check the pipeline
 * against the generator: rows, plants, unknown (blank) and negative generators, states, top 5.
 * Stops at `rows` generator rows, or once `bytes` is reached (whichever comes first); with
 * neither, writes {@link DEFAULT_SAMPLE_ROWS} rows, the size of the real 2023 file.
 *
 * @example
 *   const facts = await writeSampleGenCsv("/tmp/gen.csv", { bytes: 100e6, seed: 1 });
 *   // facts.rows ≈ 2 million, facts.bytes ≥ 100e6
 */
export async function writeSampleGenCsv(
  path: string,
  { rows, bytes, year = 2023, seed = 1, full = false }: SampleOptions = {},
) {
  const maxRows = rows ?? (bytes ? Number.POSITIVE_INFINITY : DEFAULT_SAMPLE_ROWS);
  const maxBytes = bytes ?? Number.POSITIVE_INFINITY;
  const rand = createRandom(seed);
  const out = createWriteStream(path);
  const columns = full ? FULL_COLUMNS : SHORT_COLUMNS;
  let buffer = `${columns.map(([, d]) => csvField(d)).join(",")}\r\n${sampleColumns({ year, full }).join(",")}`;
  let written = 0;
  const facts = {
    rows: 0,
    plants: 0,
    unknownGenerators: 0,
    negativeGenerators: 0,
    namesWithCommas: 0,
    totalKnownMwh: 0,
  };
  const states = new Set<string>();
  const top: SamplePlantFact[] = [];
  let bottom: SamplePlantFact | null = null;
  let previous: Plant | null = null;

  const flush = async () => {
    written += Buffer.byteLength(buffer);
    if (!out.write(buffer)) await once(out, "drain");
    buffer = "";
  };

  for (let index = 0; facts.rows < maxRows && written + buffer.length < maxBytes; index++) {
    // The first 52 plants visit every state code, so even a small sample covers them all.
    const state = STATE_CODES[index] ?? pickWeighted(rand, STATE_CODES, (s) => STATE_WEIGHTS[s] ?? 0);
    const plant = makePlant(rand, index, state, full, previous);
    let total: number | null = null;
    let emitted = 0;
    for (const gen of plant.generators) {
      if (facts.rows >= maxRows || written + buffer.length >= maxBytes) break;
      facts.rows++;
      emitted++;
      const fields = full
        ? [facts.rows, year, state, csvField(plant.name), ...fullFields(rand, plant, gen, year).map(csvField)]
        : [facts.rows, year, state, csvField(plant.name), csvField(gen.id), csvField(formatMwh(gen.mwh))];
      buffer += `\r\n${fields.join(",")}`;
      if (gen.mwh === null) facts.unknownGenerators++;
      else {
        total = (total ?? 0) + gen.mwh;
        facts.totalKnownMwh += gen.mwh;
        if (gen.mwh < 0) facts.negativeGenerators++;
      }
      if (buffer.length >= 1 << 16) await flush();
    }
    if (emitted === 0) break;
    // Names are unique per state except the ORISPL-distinguished repeats of full files.
    facts.plants++;
    if (plant.name.includes(",")) facts.namesWithCommas++;
    states.add(state);
    keepTop(top, plant, total);
    if (total !== null && (bottom === null || total < bottom.netGenerationMwh)) {
      bottom = { state, name: plant.name, orispl: plant.orispl, netGenerationMwh: total };
    }
    previous = plant;
  }
  await flush();
  out.end();
  await once(out, "finish");
  facts.totalKnownMwh = Math.round(facts.totalKnownMwh * 1000) / 1000;
  return {
    path,
    bytes: written,
    year,
    seed,
    full,
    ...facts,
    states: [...states].sort(),
    topPlants: top,
    bottomPlant: bottom,
  };
}

/** "100MB", "1.5GB", "500k", "1048576" -> bytes (decimal units, as file managers show sizes). */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|m|mb|g|gb)?\s*$/i.exec(String(text));
  if (!match) throw new Error(`not a size: '${text}' (examples: 100MB, 1.5GB, 500kB)`);
  const units: Record<string, number> = { b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9 };
  const unit = units[(match[2] ?? "b").toLowerCase()] ?? 1;
  return Math.round(Number(match[1]) * unit);
}
