// EPA's eGRID fuel categories as the page shows them: a colour, a fill pattern and a word each,
// so a chart or table reads without colour too (WCAG 1.4.1: colour is never the only cue).

/** The categories in EPA's order (fossil first); the API's `fuel=` and `primaryFuelCategory`. */
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

export type FuelPattern = "solid" | "diagonal" | "cross" | "dots" | "horizontal" | "vertical" | "back";

export interface FuelStyle {
  label: string;
  /** Fill; mid-dark tones keep a 3:1 edge against white (WCAG 1.4.11). */
  color: string;
  /** Drawn over the colour in white, so neighbouring categories differ in texture too. */
  pattern: FuelPattern;
}

export const FUEL_STYLES: Record<FuelCategory, FuelStyle> = {
  COAL: { label: "Coal", color: "#3b3b3b", pattern: "solid" },
  OIL: { label: "Oil", color: "#7a4a12", pattern: "horizontal" },
  GAS: { label: "Gas", color: "#c8641a", pattern: "diagonal" },
  OFSL: { label: "Other fossil", color: "#7d5a94", pattern: "cross" },
  NUCLEAR: { label: "Nuclear", color: "#b8283a", pattern: "dots" },
  HYDRO: { label: "Hydro", color: "#1f5fa8", pattern: "horizontal" },
  SOLAR: { label: "Solar", color: "#a88400", pattern: "dots" },
  WIND: { label: "Wind", color: "#2a8a84", pattern: "back" },
  GEOTHERMAL: { label: "Geothermal", color: "#a23b72", pattern: "vertical" },
  BIOMASS: { label: "Biomass", color: "#3e7d2c", pattern: "cross" },
  OTHF: { label: "Other", color: "#6b7177", pattern: "vertical" },
};

/** True for a category name in any case ("solar", "SOLAR"). */
export function isFuelCategory(value: string): boolean {
  return (FUEL_CATEGORIES as readonly string[]).includes(value.toUpperCase());
}

/** The style of a category; unknown or null (a file without FUELG1) is drawn as "Other". */
export function fuelStyle(category: string | null | undefined): FuelStyle & { category: FuelCategory } {
  const key = (category?.toUpperCase() ?? "OTHF") as FuelCategory;
  const known = FUEL_STYLES[key] ? key : "OTHF";
  return { category: known, ...FUEL_STYLES[known] };
}

/** The id of a category's SVG <pattern> (defined once per page by <FuelPatterns/>). */
export function fuelPatternId(category: string | null | undefined): string {
  return `fuel-pattern-${fuelStyle(category).category}`;
}
