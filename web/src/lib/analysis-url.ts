import { FUEL_CATEGORIES, type FuelCategory, parseFuelCategory } from "./fuels";
import { type ViewState, viewToSearch } from "./url-state";

// The issue #15 choices, in the same URL as the explorer's state/n/year so a link shows exactly
// what its sender saw: ?fuel=WIND&tab=movers&dir=down&plant=6008&map=SOLAR. Defaults left out.

export type Tab = "top" | "movers";
export type Direction = "up" | "down";

export interface AnalysisState {
  /** Only plants with generation of this category, ranked by it; null = all fuels. */
  fuel: FuelCategory | null;
  /** Top plants (default) or the biggest movers against the previous year. */
  tab: Tab;
  /** Movers: largest increases (up) or decreases (down). */
  dir: Direction;
  /** The plant whose details are open (a plantId), from the table or the search box. */
  plant: string | null;
  /** The map colours states by this fuel's share of their generation; null = by net generation. */
  map: FuelCategory | null;
}

export const DEFAULT_ANALYSIS: AnalysisState = { fuel: null, tab: "top", dir: "up", plant: null, map: null };

/** Reads the choices from a query string; a bad value falls back to its default and says so. */
export function parseAnalysisLink(search: string): { analysis: AnalysisState; problems: string[] } {
  const params = new URLSearchParams(search);
  const analysis: AnalysisState = { ...DEFAULT_ANALYSIS };
  const problems: string[] = [];
  const fuels = FUEL_CATEGORIES.join(", ");
  const fuel = params.get("fuel")?.trim() ?? "";
  if (fuel !== "") {
    analysis.fuel = parseFuelCategory(fuel);
    if (!analysis.fuel)
      problems.push(`fuel "${fuel.slice(0, 20)}" is not an EPA fuel category (${fuels}); showing all fuels.`);
  }
  const map = params.get("map")?.trim() ?? "";
  if (map !== "") {
    analysis.map = parseFuelCategory(map);
    if (!analysis.map)
      problems.push(`map "${map.slice(0, 20)}" is not an EPA fuel category; colouring by net generation.`);
  }
  const tab = params.get("tab")?.trim() ?? "";
  if (tab === "movers") analysis.tab = "movers";
  else if (tab !== "" && tab !== "top") problems.push(`tab "${tab.slice(0, 20)}" is not top or movers; showing top.`);
  const dir = params.get("dir")?.trim() ?? "";
  if (dir === "down") analysis.dir = "down";
  else if (dir !== "" && dir !== "up") problems.push(`dir "${dir.slice(0, 20)}" is not up or down; showing up.`);
  const plant = params.get("plant")?.trim() ?? "";
  if (plant !== "") analysis.plant = plant.slice(0, 300);
  return { analysis, problems };
}

export function parseAnalysis(search: string): AnalysisState {
  return parseAnalysisLink(search).analysis;
}

/** The whole query string: the explorer's view, then these choices (defaults left out). */
export function fullSearch(view: ViewState, analysis: AnalysisState): string {
  const params = new URLSearchParams(viewToSearch(view));
  if (analysis.fuel) params.set("fuel", analysis.fuel);
  if (analysis.tab !== "top") params.set("tab", analysis.tab);
  if (analysis.dir !== "up") params.set("dir", analysis.dir);
  if (analysis.map) params.set("map", analysis.map);
  if (analysis.plant) params.set("plant", analysis.plant);
  const s = params.toString();
  return s ? `?${s}` : "";
}
