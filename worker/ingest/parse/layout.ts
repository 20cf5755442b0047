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
/** The sequence-number code: EPA writes SEQGEN22 in 2022 and plain SEQGEN in 2021. */
const SEQ_CODE = /^SEQGEN(\d\d)?$/;

/**
 * The long descriptions EPA writes above the codes, lower-cased, for files exported with only
 * that row. Some years prefix them with the workbook ("eGRID2023 Generator file sequence number").
 */
const DESCRIPTIONS: Record<string, ColumnName> = {
  "generator file sequence number": "seq",
  "data year": "year",
  "plant state abbreviation": "state",
  "plant name": "name",
  "generator id": "generatorId",
  "generator annual net generation (mwh)": "netGeneration",
  "doe/eia oris plant or facility code": "orispl",
  "generator status": "status",
  "generator prime mover type": "primeMover",
  "generator primary fuel": "fuel",
  "generator nameplate capacity (mw)": "capacity",
  "generator capacity factor": "capacityFactor",
  "generator year on-line": "yearOnline",
  "generator planned or actual retirement year": "yearRetired",
};

// Sequence-number codes of the other eGRID sheets, to tell the user what they uploaded instead.
const OTHER_SHEETS: Array<[RegExp, string]> = [
  [/^SEQPLT(\d\d)?$/, "the PLNT (plant) sheet"],
  [/^SEQUNT(\d\d)?$/, "the UNT (unit) sheet"],
  [/^SEQST(\d\d)?$/, "the ST (state) sheet"],
  [/^SEQBA(\d\d)?$/, "the BA (balancing authority) sheet"],
  [/^SEQSRL(\d\d)?$/, "the SRL (eGRID subregion) sheet"],
  [/^SEQNRL(\d\d)?$/, "the NRL (NERC region) sheet"],
  [/^SEQUS(\d\d)?$/, "the US sheet"],
  [/^SEQGGL(\d\d)?$/, "the GGL (grid gross loss) sheet"],
];

/** How many rows may precede the code row (eGRID exports put one row of long descriptions). */
export const MAX_DESCRIPTION_ROWS = 2;

/**
 * Recognises a GEN sheet from the first rows of a file: the row of column codes may follow up
 * to two rows of long descriptions and may start with an empty column (Excel export). A file
 * with only the row of descriptions is read by those; the code row wins when both are there.
 */
export function recognizeGenSheet(firstRows: string[][]): LayoutResult {
  const candidates = firstRows.slice(0, MAX_DESCRIPTION_ROWS + 1).map((row) => row.map(cleanCell));
  let best: { index: number; found: Set<string> } | undefined;
  for (const [index, cells] of candidates.entries()) {
    const codes = cells.map((cell) => cell.toUpperCase());
    const layout = layoutFromCodes(codes, index, (code) => (SEQ_CODE.test(code) ? "seq" : columnOfCode(code)));
    if (layout) return { ok: true, layout };
    const found = new Set(codes.filter((code) => code in REQUIRED || SEQ_CODE.test(code)));
    if (!best || found.size > best.found.size) best = { index, found };
  }
  for (const [index, cells] of candidates.entries()) {
    const descriptions = cells.map((cell) =>
      cell
        .toLowerCase()
        .replace(/\s+/g, " ")
        .replace(/^egrid\s*\d{4} /, ""),
    );
    const layout = layoutFromCodes(descriptions, index, (text) => DESCRIPTIONS[text]);
    if (layout) return { ok: true, layout: { ...layout, codes: codesOf(layout) } };
  }
  const bestRow = (candidates[best?.index ?? 0] ?? []).map((cell) => cell.toUpperCase());
  return { ok: false, error: describeMismatch(candidates[0] ?? [], bestRow, best?.found ?? new Set()) };
}

function cleanCell(cell: string): string {
  return cell.replace(/^\uFEFF/, "").trim();
}

function columnOfCode(code: string): ColumnName | undefined {
  return Object.hasOwn(REQUIRED, code) ? REQUIRED[code] : Object.hasOwn(OPTIONAL, code) ? OPTIONAL[code] : undefined;
}

/** Column codes for a layout read from descriptions, so messages and the stored header use codes. */
function codesOf(layout: GenSheetLayout): string[] {
  const code: Partial<Record<ColumnName, string>> = { seq: "SEQGEN" };
  for (const [name, column] of Object.entries({ ...OPTIONAL, ...REQUIRED })) code[column] ??= name;
  return Object.entries(layout.columns)
    .sort((a, b) => a[1] - b[1])
    .map(([column]) => code[column as ColumnName] ?? column);
}

function layoutFromCodes(
  codes: string[],
  headerRowIndex: number,
  columnOf: (code: string) => ColumnName | undefined,
): GenSheetLayout | undefined {
  const columns: Partial<Record<ColumnName, number>> = {};
  codes.forEach((code, i) => {
    const name = columnOf(code);
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

/**
 * `firstRow`: the file's first row as written (cells only trimmed), quoted so the owner sees their
 * own file; `codes`: the upper-cased row that came closest to a GEN header.
 */
function describeMismatch(firstRow: string[], codes: string[], found: Set<string>): string {
  const present = new Set([...found].map((code) => (code.startsWith("SEQGEN") ? "SEQGENyy" : code)));
  if (present.has("PSTATABB")) present.add("PSTATEABB");
  const missing = REQUIRED_LABELS.filter((label) => !present.has(label));
  const other = OTHER_SHEETS.find(([pattern]) => codes.some((code) => pattern.test(code)));
  const looksLike = other
    ? ` It looks like ${other[1]} of eGRID.`
    : firstRow.some((c) => c !== "")
      ? ` Its first row starts with "${firstRow.slice(0, 6).join(",")}".`
      : "";
  return (
    `Not an eGRID generator (GEN) sheet: no header row with the columns ${missing.join(", ")} ` +
    `was found in the first ${MAX_DESCRIPTION_ROWS + 1} rows.${looksLike} ` +
    "Export the GEN sheet (one row per generator) of the eGRID workbook to CSV and upload that file."
  );
}
