/** Where each GEN-sheet column sits in a file's rows (0-based indexes into the parsed fields). */
export interface GenSheetLayout {
  /** Index (0-based) of the row holding the column codes among the file's first rows. */
  headerRowIndex: number;
  /** Fields per row in the header (data rows must match, ignoring trailing empty cells). */
  columnCount: number;
  /** The recognised codes as written in the file, e.g. SEQGEN23, PSTATEABB. */
  codes: string[];
  columns: {
    seq: number;
    year: number;
    state: number;
    name: number;
    generatorId: number;
    netGeneration: number;
    orispl?: number;
    status?: number;
    primeMover?: number;
    fuel?: number;
    capacity?: number;
    capacityFactor?: number;
    yearOnline?: number;
    yearRetired?: number;
  };
}

export type LayoutResult = { ok: true; layout: GenSheetLayout } | { ok: false; error: string };

type ColumnName = keyof GenSheetLayout["columns"];

// Codes are matched case-insensitively; other eGRID sheets spell the state column PSTATABB.
const REQUIRED: Record<string, ColumnName> = {
  YEAR: "year",
  PSTATEABB: "state",
  PSTATABB: "state",
  PNAME: "name",
  GENID: "generatorId",
  GENNTAN: "netGeneration",
};
const OPTIONAL: Record<string, ColumnName> = {
  ORISPL: "orispl",
  GENSTAT: "status",
  PRMVR: "primeMover",
  FUELG1: "fuel",
  NAMEPCAP: "capacity",
  CFACT: "capacityFactor",
  GENYRONL: "yearOnline",
  GENYRRET: "yearRetired",
};
const REQUIRED_LABELS = ["SEQGENyy", "YEAR", "PSTATEABB", "PNAME", "GENID", "GENNTAN"];

// Sequence-number codes of the other eGRID sheets, to tell the user what they uploaded instead.
const OTHER_SHEETS: Array<[RegExp, string]> = [
  [/^SEQPLT\d\d$/, "the PLNT (plant) sheet"],
  [/^SEQUNT\d\d$/, "the UNT (unit) sheet"],
  [/^SEQST\d\d$/, "the ST (state) sheet"],
  [/^SEQBA\d\d$/, "the BA (balancing authority) sheet"],
  [/^SEQSRL\d\d$/, "the SRL (eGRID subregion) sheet"],
  [/^SEQNRL\d\d$/, "the NRL (NERC region) sheet"],
  [/^SEQUS\d\d$/, "the US sheet"],
  [/^SEQGGL\d\d$/, "the GGL (grid gross loss) sheet"],
];

/** How many rows may precede the code row (eGRID exports put one row of long descriptions). */
export const MAX_DESCRIPTION_ROWS = 2;

/**
 * Recognises a GEN sheet from the first rows of a file: the row of column codes may follow up
 * to two rows of long descriptions and may start with an empty column (Excel export).
 */
export function recognizeGenSheet(firstRows: string[][]): LayoutResult {
  let best: { index: number; found: Set<string>; codes: string[] } | undefined;
  for (let index = 0; index < Math.min(firstRows.length, MAX_DESCRIPTION_ROWS + 1); index++) {
    const codes = (firstRows[index] ?? []).map((cell) =>
      cell
        .replace(/^\uFEFF/, "")
        .trim()
        .toUpperCase(),
    );
    const layout = layoutFromCodes(codes, index);
    if (layout) return { ok: true, layout };
    const found = new Set(codes.filter((code) => code in REQUIRED || /^SEQGEN\d\d$/.test(code)));
    if (!best || found.size > best.found.size) best = { index, found, codes };
  }
  return { ok: false, error: describeMismatch(best?.codes ?? [], best?.found ?? new Set()) };
}

function layoutFromCodes(codes: string[], headerRowIndex: number): GenSheetLayout | undefined {
  const columns: Partial<Record<ColumnName, number>> = {};
  codes.forEach((code, i) => {
    const name = /^SEQGEN\d\d$/.test(code) ? "seq" : (REQUIRED[code] ?? OPTIONAL[code]);
    if (name && columns[name] === undefined) columns[name] = i;
  });
  const required: ColumnName[] = ["seq", "year", "state", "name", "generatorId", "netGeneration"];
  if (!required.every((name) => columns[name] !== undefined)) return undefined;
  let columnCount = codes.length;
  while (columnCount > 0 && codes[columnCount - 1] === "") columnCount--;
  return {
    headerRowIndex,
    columnCount,
    codes: codes.filter((code) => code !== ""),
    columns: columns as GenSheetLayout["columns"],
  };
}

function describeMismatch(codes: string[], found: Set<string>): string {
  const present = new Set([...found].map((code) => (code.startsWith("SEQGEN") ? "SEQGENyy" : code)));
  if (present.has("PSTATABB")) present.add("PSTATEABB");
  const missing = REQUIRED_LABELS.filter((label) => !present.has(label));
  const other = OTHER_SHEETS.find(([pattern]) => codes.some((code) => pattern.test(code)));
  const looksLike = other
    ? ` It looks like ${other[1]} of eGRID.`
    : codes.some((c) => c !== "")
      ? ` Its first row starts with: ${codes
          .filter((c) => c !== "")
          .slice(0, 6)
          .join(", ")}.`
      : "";
  return (
    `Not an eGRID generator (GEN) sheet: no header row with the columns ${missing.join(", ")} ` +
    `was found in the first ${MAX_DESCRIPTION_ROWS + 1} rows.${looksLike} ` +
    "Export the GEN sheet (one row per generator) of the eGRID workbook to CSV and upload that file."
  );
}
