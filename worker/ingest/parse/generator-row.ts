import type { GenSheetLayout } from "./layout";
import { parseIntegerCell, parseNumberCell } from "./numbers";
import { isStateCode } from "./states";

/** One generator as stored: the GEN sheet's columns, typed, with its plant identity. */
export interface GeneratorRow {
  /** Physical line of the record in the file (1-based). */
  line: number;
  seq: number;
  dataYear: number;
  plantKey: string;
  state: string;
  plantName: string;
  orispl: number | null;
  generatorId: string;
  /** GENNTAN (MWh); null when blank in the file: unknown, not zero. */
  netGenerationMwh: number | null;
  status: string | null;
  primeMover: string | null;
  fuel: string | null;
  capacityMw: number | null;
  capacityFactor: number | null;
  yearOnline: number | null;
  yearRetired: number | null;
}

export type RowResult = { ok: true; row: GeneratorRow } | { ok: false; reason: string };

/**
 * A plant is identified by its ORISPL (EIA plant code) when the file has one, else by state and
 * name: two plants with the same name in one state are then indistinguishable, as in the file.
 */
export function plantKeyOf(orispl: number | null, state: string, plantName: string): string {
  return orispl !== null ? String(orispl) : `${state}:${plantName}`;
}

/** True for the empty records spreadsheets leave at the end of a file. */
export function isBlankRecord(fields: string[]): boolean {
  return fields.every((field) => field.trim() === "");
}

/** Validates and types one data record of a GEN sheet. */
export function toGeneratorRow(fields: string[], layout: GenSheetLayout, line: number, dataYear: number): RowResult {
  const { columns, columnCount } = layout;
  const extra = fields.slice(columnCount).some((field) => field.trim() !== "");
  if (fields.length < columnCount || extra) {
    return { ok: false, reason: `has ${fields.length} fields where the header has ${columnCount}` };
  }
  const cell = (index: number | undefined) => (index === undefined ? "" : (fields[index] ?? "").trim());
  const text = (index: number | undefined) => cell(index) || null;

  const seq = parseIntegerCell(cell(columns.seq));
  if (!seq.ok || seq.value === null)
    return { ok: false, reason: `sequence number (${layout.codes[0]}) is missing or not a whole number` };
  const year = parseIntegerCell(cell(columns.year));
  if (!year.ok || year.value === null) return { ok: false, reason: "YEAR is missing or not a whole number" };
  if (year.value !== dataYear) {
    return {
      ok: false,
      reason: `YEAR ${year.value} differs from the file's data year ${dataYear} (one file holds one year)`,
    };
  }
  const state = cell(columns.state).toUpperCase();
  if (!isStateCode(state)) {
    return {
      ok: false,
      reason: `unknown state code "${state}" (expected one of the 52 eGRID codes: 50 states, DC, PR)`,
    };
  }
  const plantName = cell(columns.name);
  if (!plantName) return { ok: false, reason: "plant name (PNAME) is empty" };
  const generatorId = cell(columns.generatorId);
  if (!generatorId) return { ok: false, reason: "generator id (GENID) is empty" };
  const net = parseNumberCell(cell(columns.netGeneration));
  if (!net.ok) return { ok: false, reason: `GENNTAN ${net.reason}` };

  const numbers: Record<string, number | null> = {};
  for (const [name, code, integer] of [
    ["orispl", "ORISPL", true],
    ["capacityMw", "NAMEPCAP", false],
    ["capacityFactor", "CFACT", false],
    ["yearOnline", "GENYRONL", true],
    ["yearRetired", "GENYRRET", true],
  ] as const) {
    const index = columns[name === "capacityMw" ? "capacity" : name];
    const parsed = (integer ? parseIntegerCell : parseNumberCell)(cell(index));
    if (!parsed.ok) return { ok: false, reason: `${code} ${parsed.reason}` };
    numbers[name] = parsed.value;
  }
  const orispl = numbers.orispl ?? null;
  return {
    ok: true,
    row: {
      line,
      seq: seq.value,
      dataYear,
      plantKey: plantKeyOf(orispl, state, plantName),
      state,
      plantName,
      orispl,
      generatorId,
      netGenerationMwh: net.value,
      status: text(columns.status),
      primeMover: text(columns.primeMover),
      fuel: text(columns.fuel),
      capacityMw: numbers.capacityMw ?? null,
      capacityFactor: numbers.capacityFactor ?? null,
      yearOnline: numbers.yearOnline ?? null,
      yearRetired: numbers.yearRetired ?? null,
    },
  };
}
