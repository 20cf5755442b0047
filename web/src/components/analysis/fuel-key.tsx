import { FUEL_CATEGORIES, type FuelPattern, fuelPatternId, fuelStyle } from "../../lib/fuels";

/** White strokes of each texture in a 6x6 tile. */
const STROKES: Record<FuelPattern, string | null> = {
  solid: null,
  diagonal: "M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2",
  back: "M-1,5 l2,2 M0,0 l6,6 M5,-1 l2,2",
  cross: "M0,0 l6,6 M0,6 l6,-6",
  horizontal: "M0,3 h6",
  vertical: "M3,0 v6",
  dots: null,
};

/**
 * The fill patterns of every fuel category, once per page (an invisible SVG): charts and swatches
 * use `fill="url(#fuel-pattern-WIND)"`, so a category differs from its neighbours in texture too.
 */
export function FuelPatterns() {
  return (
    <svg width="0" height="0" aria-hidden="true" focusable="false" class="fuel-patterns">
      <defs>
        {FUEL_CATEGORIES.map((category) => {
          const { color, pattern } = fuelStyle(category);
          const strokes = STROKES[pattern];
          return (
            <pattern key={category} id={fuelPatternId(category)} width="6" height="6" patternUnits="userSpaceOnUse">
              <rect width="6" height="6" fill={color} />
              {strokes && <path d={strokes} stroke="#fff" stroke-width="1.2" stroke-opacity="0.75" />}
              {pattern === "dots" && <circle cx="3" cy="3" r="1.2" fill="#fff" fill-opacity="0.8" />}
            </pattern>
          );
        })}
      </defs>
    </svg>
  );
}

/** A small square in a category's colour and pattern, followed by its name (the text cue). */
export function FuelSwatch({ category, label }: { category: string | null; label?: string }) {
  const style = fuelStyle(category);
  return (
    <span class="fuel-swatch" data-fuel={style.category}>
      <svg width="14" height="14" aria-hidden="true" focusable="false">
        <rect width="14" height="14" fill={`url(#${fuelPatternId(category)})`} stroke="#1b1f24" stroke-width="0.5" />
      </svg>
      {label ?? (category && style.category !== category.toUpperCase() ? category : style.label)}
    </span>
  );
}

/** Legend for the categories present (all when `categories` is absent), in EPA's order. */
export function FuelLegend({ categories, title = "Fuel" }: { categories?: (string | null)[]; title?: string }) {
  const present = new Set((categories ?? FUEL_CATEGORIES).map((c) => fuelStyle(c).category));
  const shown = FUEL_CATEGORIES.filter((c) => present.has(c));
  return (
    <div class="fuel-legend">
      <span class="fuel-legend-title">{title}:</span>
      <ul>
        {shown.map((c) => (
          <li key={c}>
            <FuelSwatch category={c} />
          </li>
        ))}
      </ul>
    </div>
  );
}
