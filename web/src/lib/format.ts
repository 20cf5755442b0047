// Display formatting. Readable figures go on screen; exact MWh stay one hover/read away and in
// the CSV, because analysts quote exact numbers.

const UNITS = [
  { unit: "TWh", size: 1e6 },
  { unit: "GWh", size: 1e3 },
] as const;

// Fixed three significant digits ("12.0 TWh", not "12 TWh") so a column of figures reads evenly.
const threeDigits = new Intl.NumberFormat("en-US", { minimumSignificantDigits: 3, maximumSignificantDigits: 3 });
const exact = new Intl.NumberFormat("en-US", { maximumFractionDigits: 3 });

/**
 * MWh in the largest unit that keeps the number >= 1, to three significant digits.
 * `null` (the file left generation blank) is "unknown", never 0.
 * @example formatEnergy(31522590) // "31.5 TWh"; formatEnergy(-1034280) // "-1.03 TWh"
 */
export function formatEnergy(mwh: number | null): string {
  if (mwh === null || !Number.isFinite(mwh)) return "unknown";
  const magnitude = Math.abs(mwh);
  for (const { unit, size } of UNITS) {
    // 0.9995: a value that rounds to 1.00 in the bigger unit reads "1 TWh", not "1,000 GWh".
    if (magnitude >= size * 0.9995) return `${threeDigits.format(mwh / size)} ${unit}`;
  }
  if (magnitude < 100) return `${exact.format(Math.round(mwh * 10) / 10)} MWh`;
  return `${threeDigits.format(mwh)} MWh`;
}

/** Exact MWh with thousands separators: "31,522,590 MWh"; "unknown" for null. */
export function formatExactMwh(mwh: number | null): string {
  if (mwh === null || !Number.isFinite(mwh)) return "unknown";
  return `${exact.format(mwh)} MWh`;
}

/** A percentage to one decimal ("12.3%"); "n/a" when the API has none. */
export function formatPercent(pct: number | null): string {
  if (pct === null || !Number.isFinite(pct)) return "n/a";
  return `${pct.toFixed(1)}%`;
}

/** Whole numbers with separators ("1,234"). */
export function formatCount(n: number): string {
  return exact.format(n);
}

/** Bytes as KB/MB for upload sizes. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** An ISO 8601 instant as the reader's local date and time; `none` when there is none. */
export function formatTime(iso: string | null, none = "—"): string {
  return iso ? new Date(iso).toLocaleString() : none;
}
