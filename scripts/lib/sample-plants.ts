// Vocabulary of the sample generator: states, plant technologies and how their generators look
// in an eGRID GEN sheet. Kept apart from the writer so the writer reads as the file format.

/**
 * The 52 state codes of eGRID (50 states + DC + PR), weighted by how many generators each had
 * in eGRID 2023, so a sample has California and Texas heavy and DC light, like the real file.
 */
export const STATE_WEIGHTS: Record<string, number> = {
  CA: 3040,
  TX: 2113,
  NY: 1798,
  MN: 1299,
  NC: 1240,
  MA: 932,
  VA: 832,
  MI: 798,
  IL: 795,
  IA: 710,
  FL: 671,
  WI: 641,
  PA: 634,
  NJ: 618,
  AK: 568,
  GA: 565,
  OH: 501,
  KS: 484,
  OR: 475,
  CO: 464,
  IN: 429,
  WA: 427,
  SC: 389,
  AZ: 388,
  MO: 382,
  ME: 374,
  MD: 312,
  NE: 310,
  CT: 293,
  TN: 285,
  NV: 282,
  OK: 280,
  AL: 277,
  ID: 249,
  LA: 240,
  UT: 229,
  HI: 216,
  VT: 215,
  PR: 214,
  NM: 208,
  AR: 183,
  KY: 176,
  MT: 144,
  RI: 141,
  NH: 139,
  MS: 137,
  WY: 129,
  SD: 104,
  ND: 99,
  WV: 87,
  DE: 68,
  DC: 17,
};
export const STATE_CODES = Object.keys(STATE_WEIGHTS).sort();

/**
 * Plant technologies. `mwh` is the per-generator annual net generation range (log-uniform);
 * a negative range is a net consumer (pumped storage and batteries lose energy round-trip).
 */
export interface Technology {
  kind: string;
  weight: number;
  gens: [number, number];
  mwh: [number, number];
  prmvr: [string, ...string[]];
  fuel: [string, ...string[]];
  cf: [number, number];
  ids: [string, ...string[]];
  suffixes: string[];
}

export const TECHNOLOGIES: Technology[] = [
  {
    kind: "solar",
    weight: 30,
    gens: [1, 3],
    mwh: [300, 250_000],
    prmvr: ["PV"],
    fuel: ["SUN"],
    cf: [0.15, 0.3],
    ids: ["PV1", "PV2", "PV3", "1", "2", "SOLAR"],
    suffixes: ["Solar", "Solar Farm", "Solar Project", "Solar, LLC", "Solar Energy Center", "Community Solar"],
  },
  {
    kind: "wind",
    weight: 14,
    gens: [1, 4],
    mwh: [20_000, 700_000],
    prmvr: ["WT"],
    fuel: ["WND"],
    cf: [0.25, 0.45],
    ids: ["GEN1", "GEN2", "WT1", "WT2", "1", "2"],
    suffixes: ["Wind", "Wind Farm", "Wind Energy Center", "Wind, LLC", "Wind Project"],
  },
  {
    kind: "gas",
    weight: 14,
    gens: [1, 6],
    mwh: [1_000, 3_200_000],
    prmvr: ["CT", "GT", "CA", "ST"],
    fuel: ["NG"],
    cf: [0.05, 0.7],
    ids: ["CT1", "CT2", "GT1", "GT2", "ST1", "1", "2", "3"],
    suffixes: ["Generating Station", "Energy Center", "Power Plant", "Combined Cycle", "Energy Facility, LLC"],
  },
  {
    kind: "coal",
    weight: 2,
    gens: [1, 4],
    mwh: [200_000, 8_000_000],
    prmvr: ["ST"],
    fuel: ["BIT", "SUB", "LIG"],
    cf: [0.3, 0.8],
    ids: ["1", "2", "3", "4", "0001"],
    suffixes: ["Generating Station", "Steam Plant", "Power Station"],
  },
  {
    kind: "nuclear",
    weight: 0.4,
    gens: [1, 3],
    mwh: [7_000_000, 11_500_000],
    prmvr: ["ST"],
    fuel: ["NUC"],
    cf: [0.88, 0.98],
    ids: ["1", "2", "3"],
    suffixes: ["Nuclear Plant", "Nuclear Generating Station", "Nuclear Station"],
  },
  {
    kind: "hydro",
    weight: 8,
    gens: [1, 6],
    mwh: [1_000, 2_000_000],
    prmvr: ["HY"],
    fuel: ["WAT"],
    cf: [0.2, 0.6],
    ids: ["1", "2", "3", "4", "HY1", "HY2"],
    suffixes: ["Hydro", "Dam", "Hydroelectric Project", "Falls Hydro"],
  },
  {
    kind: "pumped-storage",
    weight: 0.5,
    gens: [2, 6],
    mwh: [-400_000, -2_000],
    prmvr: ["PS"],
    fuel: ["WAT"],
    cf: [0, 0],
    ids: ["1", "2", "3", "4", "5", "6"],
    suffixes: ["Pumped Storage", "Pumped Storage Station"],
  },
  {
    kind: "battery",
    weight: 4,
    gens: [1, 2],
    mwh: [-5_000, -5],
    prmvr: ["BA"],
    fuel: ["MWH"],
    cf: [0, 0],
    ids: ["BESS", "BA1", "BA2"],
    suffixes: ["Battery Storage", "Energy Storage, LLC", "BESS"],
  },
  {
    kind: "diesel",
    weight: 10,
    gens: [1, 4],
    mwh: [1, 1_500],
    prmvr: ["IC"],
    fuel: ["DFO"],
    cf: [0.01, 0.2],
    ids: ["1A", "2", "3B", "UNIT4", "5.1", "10", "11"],
    suffixes: ["", "Power Plant", "Diesel Plant"],
  },
  {
    kind: "biomass",
    weight: 4,
    gens: [1, 4],
    mwh: [1_000, 200_000],
    prmvr: ["IC", "ST"],
    fuel: ["LFG", "WDS"],
    cf: [0.4, 0.8],
    ids: ["GEN1", "GEN2", "1", "2"],
    suffixes: ["Landfill Gas", "Biomass Plant", "LFG Energy, LLC"],
  },
  {
    kind: "fuel-cell",
    weight: 1,
    gens: [1, 1],
    mwh: [1_000, 50_000],
    prmvr: ["FC"],
    fuel: ["NG"],
    cf: [0.5, 0.9],
    ids: ["FC1"],
    suffixes: ["Fuel Cell", "Fuel Cell, Inc."],
  },
];

const PREFIXES = ["Lake", "Port", "North", "South", "East", "West", "Mount", "Fort", "New", "Big", "Little"];
const CONSONANTS = "bcdfghklmnprstvwz";
const VOWELS = "aeiou";

/**
 * A place-like word unique to `index`: its syllables (consonant + vowel, two letters each) spell
 * a scrambled form of the index, so different indexes never give the same word and no set of
 * names has to be kept in memory. Three syllables cover 614,125 plants, then four.
 */
export type Random = () => number;

export function placeName(index: number, rand: Random): string {
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

export function pickWeighted<T>(rand: Random, entries: readonly T[], weightOf: (entry: T) => number): T {
  const total = entries.reduce((sum, e) => sum + weightOf(e), 0);
  let r = rand() * total;
  for (const entry of entries) {
    r -= weightOf(entry);
    if (r < 0) return entry;
  }
  return entries[entries.length - 1] as T;
}
