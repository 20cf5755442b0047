// EPA's eGRID fuel categories as the page shows them: a colour, a fill pattern and a word each,
// so a chart or table reads without colour too (WCAG 1.4.1: colour is never the only cue).

// The categories and their names are the Worker's own (domain/fuels.ts, a pure module
// with no bindings): one list for the API's `fuel=` and the page's choices.
import {
  FUEL_CATEGORIES,
  FUEL_CATEGORY_LABELS,
  type FuelCategory,
  fuelCategoryOf,
  parseFuelCategory,
} from "../../../domain/fuels";

export { FUEL_CATEGORIES, type FuelCategory, fuelCategoryOf, parseFuelCategory };

export type FuelPattern = "solid" | "diagonal" | "cross" | "dots" | "horizontal" | "vertical" | "back";

export interface FuelStyle {
  /** EPA's name for the category ("Other fossil"). */
  label: string;
  /** Fill; mid-dark tones keep a 3:1 edge against white (WCAG 1.4.11). */
  color: string;
  /** Drawn over the colour in white, so neighbouring categories differ in texture too. */
  pattern: FuelPattern;
}

export const FUEL_STYLES: Record<FuelCategory, FuelStyle> = {
  COAL: { label: FUEL_CATEGORY_LABELS.COAL, color: "#3b3b3b", pattern: "solid" },
  OIL: { label: FUEL_CATEGORY_LABELS.OIL, color: "#7a4a12", pattern: "horizontal" },
  GAS: { label: FUEL_CATEGORY_LABELS.GAS, color: "#c8641a", pattern: "diagonal" },
  OFSL: { label: FUEL_CATEGORY_LABELS.OFSL, color: "#7d5a94", pattern: "cross" },
  NUCLEAR: { label: FUEL_CATEGORY_LABELS.NUCLEAR, color: "#b8283a", pattern: "dots" },
  HYDRO: { label: FUEL_CATEGORY_LABELS.HYDRO, color: "#1f5fa8", pattern: "horizontal" },
  SOLAR: { label: FUEL_CATEGORY_LABELS.SOLAR, color: "#a88400", pattern: "dots" },
  WIND: { label: FUEL_CATEGORY_LABELS.WIND, color: "#2a8a84", pattern: "back" },
  GEOTHERMAL: { label: FUEL_CATEGORY_LABELS.GEOTHERMAL, color: "#a23b72", pattern: "vertical" },
  BIOMASS: { label: FUEL_CATEGORY_LABELS.BIOMASS, color: "#3e7d2c", pattern: "cross" },
  OTHF: { label: FUEL_CATEGORY_LABELS.OTHF, color: "#6b7177", pattern: "vertical" },
};

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
