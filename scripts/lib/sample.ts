// Writes a synthetic (invented plants, named "Synthetic …"), deterministic eGRID GEN-sheet CSV,
// streaming (a 100 MB file never sits in memory), with the quirks of the real EPA export (see
// data/egrid/README.md): two header rows, CRLF and no newline after the last row, quoted names
// with commas, GENNTAN as "20,961", 451, " (11)" / " (1,131)" accounting negatives, blanks for
// unknown, and a few decimals.
import { once } from "node:events";
import { createWriteStream } from "node:fs";

type Random = () => number;
type Range = [number, number];
type Words = string[];
type Tech = { kind: string; weight: number; gens: Range; mwh: Range; cf: Range } & Record<"prmvr" | "fuel", Words> &
  Record<"ids" | "suffixes", Words>;
type Generator = { id: string; mwh: number | null; tech: Tech };
type Plant = { index: number; state: string; name: string; orispl: number; generators: Generator[] };
type SampleOptions = { rows?: number; bytes?: number; year?: number; seed?: number; full?: boolean };
type PlantFact = { state: string; name: string; orispl: number; netGenerationMwh: number };

/** What {@link writeSampleGenCsv} wrote: the facts a pipeline must reproduce from the file. */
export type SampleFacts = Awaited<ReturnType<typeof writeSampleGenCsv>>;

const DEFAULT_SAMPLE_ROWS = 26_601;
/** Every generated plant name starts with this: the plants are invented. */
const SYNTHETIC_PREFIX = "Synthetic ";

// The 52 state codes of eGRID (50 states + DC + PR), weighted by how many generators each had in
// eGRID 2023, so a sample has California and Texas heavy and DC light, like the real file.
const STATE_WEIGHTS: Record<string, number> = Object.fromEntries(
  `CA 3040 TX 2113 NY 1798 MN 1299 NC 1240 MA 932 VA 832 MI 798 IL 795 IA 710 FL 671 WI 641 PA 634 NJ 618
  AK 568 GA 565 OH 501 KS 484 OR 475 CO 464 IN 429 WA 427 SC 389 AZ 388 MO 382 ME 374 MD 312 NE 310 CT 293
  TN 285 NV 282 OK 280 AL 277 ID 249 LA 240 UT 229 HI 216 VT 215 PR 214 NM 208 AR 183 KY 176 MT 144 RI 141
  NH 139 MS 137 WY 129 SD 104 ND 99 WV 87 DE 68 DC 17`
    .split(/\s+/)
    .flatMap((w, i, all) => (i % 2 ? [] : [[w, Number(all[i + 1])]])),
);
const STATE_CODES = Object.keys(STATE_WEIGHTS).sort();

// Plant technologies, one a row: kind; weight; generators per plant; per-generator annual MWh
// (log-uniform; a negative range is a net consumer: pumped storage and batteries lose energy
// round-trip); capacity factor range; prime movers; fuels; generator ids; name suffixes (|).
const TECHNOLOGIES: Tech[] = `
solar;30;1 3;300 250000;0.15 0.3;PV;SUN;PV1 PV2 PV3 1 2 SOLAR;Solar|Solar Farm|Solar Project|Solar, LLC|Solar Energy Center|Community Solar
wind;14;1 4;20000 700000;0.25 0.45;WT;WND;GEN1 GEN2 WT1 WT2 1 2;Wind|Wind Farm|Wind Energy Center|Wind, LLC|Wind Project
gas;14;1 6;1000 3200000;0.05 0.7;CT GT CA ST;NG;CT1 CT2 GT1 GT2 ST1 1 2 3;Generating Station|Energy Center|Power Plant|Combined Cycle|Energy Facility, LLC
coal;2;1 4;200000 8000000;0.3 0.8;ST;BIT SUB LIG;1 2 3 4 0001;Generating Station|Steam Plant|Power Station
nuclear;0.4;1 3;7000000 11500000;0.88 0.98;ST;NUC;1 2 3;Nuclear Plant|Nuclear Generating Station|Nuclear Station
hydro;8;1 6;1000 2000000;0.2 0.6;HY;WAT;1 2 3 4 HY1 HY2;Hydro|Dam|Hydroelectric Project|Falls Hydro
pumped-storage;0.5;2 6;-400000 -2000;0 0;PS;WAT;1 2 3 4 5 6;Pumped Storage|Pumped Storage Station
battery;4;1 2;-5000 -5;0 0;BA;MWH;BESS BA1 BA2;Battery Storage|Energy Storage, LLC|BESS
diesel;10;1 4;1 1500;0.01 0.2;IC;DFO;1A 2 3B UNIT4 5.1 10 11;|Power Plant|Diesel Plant
biomass;4;1 4;1000 200000;0.4 0.8;IC ST;LFG WDS;GEN1 GEN2 1 2;Landfill Gas|Biomass Plant|LFG Energy, LLC
fuel-cell;1;1 1;1000 50000;0.5 0.9;FC;NG;FC1;Fuel Cell|Fuel Cell, Inc.`
  .trim()
  .split("\n")
  .map((row) => {
    const [kind = "", weight, ...fields] = row.split(";");
    const [gens, mwh, cf, prmvr, fuel, ids, suffixes] = fields.map((f, i) => f.split(i === 6 ? "|" : " "));
    const range = (f: string[] = []) => f.map(Number) as Range;
    return {
      kind,
      weight: Number(weight),
      gens: range(gens),
      mwh: range(mwh),
      cf: range(cf),
      prmvr,
      fuel,
      ids,
      suffixes,
    } as Tech;
  });

// Column code and header text of the 17-column GEN layout (--full); the short layout has six.
const FULL_COLUMNS =
  `SEQGEN Generator file sequence number|YEAR Data Year|PSTATEABB Plant state abbreviation|PNAME Plant name
ORISPL DOE/EIA ORIS plant or facility code|GENID Generator ID|NUMBLR Number of associated boilers|GENSTAT Generator status
PRMVR Generator prime mover type|FUELG1 Generator primary fuel|NAMEPCAP Generator nameplate capacity (MW)
CFACT Generator capacity factor|GENNTAN Generator annual net generation (MWh)
GENNTOZ Generator ozone season net generation (MWh)|GENERSRC Generation data source|GENYRONL Generator year on-line
GENYRRET Generator planned or actual retirement year`
    .split(/[|\n]/)
    .map((column) => column.split(/ (.*)/));
const SHORT_CODES = ["SEQGEN", "YEAR", "PSTATEABB", "PNAME", "GENID", "GENNTAN"];
const SHORT_COLUMNS = FULL_COLUMNS.filter(([code]) => SHORT_CODES.includes(code ?? ""));

/** CSV field quoting (RFC 4180): quote when the value holds a comma, quote or line break. */
function csvField(value: unknown): string {
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
function keepTop(top: PlantFact[], plant: Plant, total: number | null) {
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
  // Two header rows, as EPA's export has: descriptions, then codes (SEQGEN with the year's digits).
  const codes = columns.map(([code]) => (code === "SEQGEN" ? `SEQGEN${String(year % 100).padStart(2, "0")}` : code));
  let buffer = `${columns.map(([, d]) => csvField(d)).join(",")}\r\n${codes.join(",")}`;
  let written = 0;
  const facts = { rows: 0, plants: 0, unknownGenerators: 0, negativeGenerators: 0, namesWithCommas: 0 };
  const states = new Set<string>();
  const top: PlantFact[] = [];
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
    previous = plant;
  }
  await flush();
  out.end();
  await once(out, "finish");
  return { path, bytes: written, year, seed, full, ...facts, states: [...states].sort(), topPlants: top };
}

/** "100MB", "1.5GB", "500k", "1048576" -> bytes (decimal units, as file managers show sizes). */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|m|mb|g|gb)?\s*$/i.exec(String(text));
  if (!match) throw new Error(`not a size: '${text}' (examples: 100MB, 1.5GB, 500kB)`);
  const units: Record<string, number> = { b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9 };
  const unit = units[(match[2] ?? "b").toLowerCase()] ?? 1;
  return Math.round(Number(match[1]) * unit);
}

const PREFIXES = ["Lake", "Port", "North", "South", "East", "West", "Mount", "Fort", "New", "Big", "Little"];
const CONSONANTS = "bcdfghklmnprstvwz";
const VOWELS = "aeiou";

/**
 * A place-like word unique to `index`: its syllables (consonant + vowel, two letters each) spell
 * a scrambled form of the index, so different indexes never give the same word and no set of
 * names has to be kept in memory. Three syllables cover 614,125 plants, then four.
 */
function placeName(index: number, rand: Random): string {
  const base = CONSONANTS.length * VOWELS.length; // 85 = 5 * 17
  let length = 3;
  let local = index;
  while (local >= base ** length) {
    local -= base ** length;
    length++;
  }
  // Multiplying by a number coprime with base^length permutes 0..base^length-1.
  let n = (local * 7919 + 4241) % base ** length;
  let word = "";
  for (let i = 0; i < length; i++) {
    const digit = n % base;
    word += CONSONANTS.charAt(Math.floor(digit / VOWELS.length)) + VOWELS.charAt(digit % VOWELS.length);
    n = Math.floor(n / base);
  }
  const name = word.charAt(0).toUpperCase() + word.slice(1);
  return rand() < 0.1 ? `${PREFIXES[Math.floor(rand() * PREFIXES.length)]} ${name}` : name;
}

/** Seeded PRNG (mulberry32): the same seed always gives the same sample file. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickWeighted<T>(rand: Random, entries: readonly T[], weightOf: (entry: T) => number): T {
  const total = entries.reduce((sum, e) => sum + weightOf(e), 0);
  let r = rand() * total;
  for (const entry of entries) {
    r -= weightOf(entry);
    if (r < 0) return entry;
  }
  return entries[entries.length - 1] as T;
}
