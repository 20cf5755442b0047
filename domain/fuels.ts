/**
 * EPA's fuel categories of eGRID (eGRID technical guide; `data/static_tables/
 * fuel_type_categories.csv` in EPA's USEPA/egrid repository; table in data/egrid/README.md).
 * A generator's FUELG1 code puts it in one category. A code not in the table, or a blank one in
 * a file that has the column, counts as OTHF ("other: storage, purchased, waste heat, hydrogen,
 * unknown"); the code itself is still shown wherever the file's fuel is shown.
 */
export const FUEL_CATEGORIES = [
  "COAL",
  "OIL",
  "GAS",
  "OFSL",
  "NUCLEAR",
  "HYDRO",
  "SOLAR",
  "WIND",
  "GEOTHERMAL",
  "BIOMASS",
  "OTHF",
] as const;
export type FuelCategory = (typeof FUEL_CATEGORIES)[number];

/** The category that takes codes outside the table. */
export const OTHER_FUEL: FuelCategory = "OTHF";

/** FUELG1 codes of each category, as EPA lists them. */
export const FUEL_CODES: Readonly<Record<FuelCategory, readonly string[]>> = {
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

/** Words for each category, for legends and documents. */
export const FUEL_CATEGORY_LABELS: Readonly<Record<FuelCategory, string>> = {
  COAL: "Coal",
  OIL: "Oil",
  GAS: "Gas",
  OFSL: "Other fossil",
  NUCLEAR: "Nuclear",
  HYDRO: "Hydro",
  SOLAR: "Solar",
  WIND: "Wind",
  GEOTHERMAL: "Geothermal",
  BIOMASS: "Biomass",
  OTHF: "Other",
};

const CATEGORY_OF_CODE = new Map<string, FuelCategory>(
  FUEL_CATEGORIES.flatMap((category) => FUEL_CODES[category].map((code) => [code, category] as const)),
);

/** Normal form of a FUELG1 code: trimmed, upper case. */
function normalCode(code: string): string {
  return code.trim().toUpperCase();
}

/** True when the code is in EPA's table (any case). */
export function isKnownFuelCode(code: string): boolean {
  return CATEGORY_OF_CODE.has(normalCode(code));
}

/** Category of a FUELG1 code (any case): unknown codes are OTHF; null when there is no code. */
export function fuelCategoryOf(code: string | null | undefined): FuelCategory | null {
  if (code === null || code === undefined || code.trim() === "") return null;
  return CATEGORY_OF_CODE.get(normalCode(code)) ?? OTHER_FUEL;
}

/** The category named by a `fuel` parameter (any case, surrounding spaces ignored), or null. */
export function parseFuelCategory(raw: string): FuelCategory | null {
  const upper = raw.trim().toUpperCase();
  return (FUEL_CATEGORIES as readonly string[]).includes(upper) ? (upper as FuelCategory) : null;
}

/** SQL rows (code, category) of EPA's table, as a VALUES list, to join codes against. */
export function fuelCodesValuesSql(): string {
  return `VALUES ${[...CATEGORY_OF_CODE].map(([code, category]) => `('${code}', '${category}')`).join(", ")}`;
}
