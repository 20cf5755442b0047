import { plantKeyOf } from "../../../domain/plants";
import { isStateCode } from "../../../domain/states";
import type { GenSheetLayout } from "./layout";
import { parseIntegerCell, parseNumberCell } from "./numbers";

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

/** True for the empty records spreadsheets leave at the end of a file. */
export function isBlankRecord(fields: string[]): boolean {
  return fields.every((field) => field.trim() === "");
}

/**
 * Largest capacity one generator can have, in MW. The largest US units are about 1,500 MW (eGRID
 * 2021-2023 NAMEPCAP tops out at 1,499.4) and the largest in the world about 1,000 MW hydro or
 * 1,750 MW nuclear, so a cell beyond this is a unit or export error (e.g. kW, or a typed row of
 * nines), never a generator.
 */
export const MAX_CAPACITY_MW = 10_000;
/**
 * Largest annual net generation (GENNTAN) of one generator, either sign, in MWh: MAX_CAPACITY_MW
 * running all 8,784 hours of a leap year is 87.84 million MWh. The largest US plant, Palo Verde,
 * makes about 32 million MWh a year; no generator of eGRID 2021-2023 made 12 million.
 */
export const MAX_NET_GENERATION_MWH = 100_000_000;

const OPTIONAL_NUMBERS = [
  ["orispl", "orispl", "ORISPL", true, null],
  ["capacity", "capacityMw", "NAMEPCAP", false, { limit: MAX_CAPACITY_MW, unit: "MW" }],
  ["capacityFactor", "capacityFactor", "CFACT", false, null],
  ["yearOnline", "yearOnline", "GENYRONL", true, null],
  ["yearRetired", "yearRetired", "GENYRRET", true, null],
] as const;

/** The reason a value is beyond what any one generator can have, or null when it is plausible. */
function implausible(code: string, value: number | null, limit: number, unit: string): string | null {
  if (value === null || Math.abs(value) <= limit) return null;
  const shown = Math.abs(value) < 1e15 ? value.toLocaleString("en-US") : String(value);
  return `${code} ${shown} ${unit} is beyond ±${limit.toLocaleString("en-US")} ${unit}, more than any one generator can have (see docs/operations.md, "Numbers and rejected rows"); check the cell for a unit or export error`;
}

function cellAt(fields: string[], index: number | undefined): string {
  return index === undefined ? "" : (fields[index] ?? "").trim();
}

/** Validates and types one data record of a GEN sheet. (Hot path: one call per row.) */
export function toGeneratorRow(fields: string[], layout: GenSheetLayout, line: number, dataYear: number): RowResult {
  const { columns, columnCount } = layout;
  if (fields.length !== columnCount) {
    let extra = fields.length > columnCount;
    for (let i = columnCount; extra && i < fields.length; i++) extra = (fields[i] as string).trim() === "";
    if (fields.length < columnCount || !extra) {
      return { ok: false, reason: `has ${fields.length} fields where the header has ${columnCount}` };
    }
  }

  const seq = parseIntegerCell(cellAt(fields, columns.seq));
  if (!seq.ok || seq.value === null) {
    return { ok: false, reason: `sequence number (${layout.codes[0]}) is missing or not a whole number` };
  }
  const year = parseIntegerCell(cellAt(fields, columns.year));
  if (!year.ok || year.value === null) return { ok: false, reason: "YEAR is missing or not a whole number" };
  if (year.value !== dataYear) {
    return {
      ok: false,
      reason: `YEAR ${year.value} differs from the file's data year ${dataYear} (one file holds one year)`,
    };
  }
  const state = cellAt(fields, columns.state).toUpperCase();
  if (!isStateCode(state)) {
    return {
      ok: false,
      reason: `unknown state code "${state}" (expected an eGRID code: the 50 states, DC, PR, AS, GU, MP or VI)`,
    };
  }
  const plantName = cellAt(fields, columns.name);
  if (!plantName) return { ok: false, reason: "plant name (PNAME) is empty" };
  // A blank GENID is an unknown id, not a bad row: EPA's 2022 file has four such generators
  // (SEQGEN22 6355, 9425, 11484, 13680; retired units) and counts them; the sequence number
  // identifies them, and they are stored with an empty id.
  const generatorId = cellAt(fields, columns.generatorId);
  const net = parseNumberCell(cellAt(fields, columns.netGeneration));
  if (!net.ok) return { ok: false, reason: `GENNTAN ${net.reason}` };
  const netTooLarge = implausible("GENNTAN", net.value, MAX_NET_GENERATION_MWH, "MWh");
  if (netTooLarge) return { ok: false, reason: netTooLarge };

  const row: GeneratorRow = {
    line,
    seq: seq.value,
    dataYear,
    plantKey: "",
    state,
    plantName,
    orispl: null,
    generatorId,
    netGenerationMwh: net.value,
    status: columns.status === undefined ? null : cellAt(fields, columns.status) || null,
    primeMover: columns.primeMover === undefined ? null : cellAt(fields, columns.primeMover) || null,
    fuel: columns.fuel === undefined ? null : cellAt(fields, columns.fuel) || null,
    capacityMw: null,
    capacityFactor: null,
    yearOnline: null,
    yearRetired: null,
  };
  for (const [column, field, code, integer, bound] of OPTIONAL_NUMBERS) {
    const index = columns[column];
    if (index === undefined) continue;
    const parsed = (integer ? parseIntegerCell : parseNumberCell)(cellAt(fields, index));
    if (!parsed.ok) return { ok: false, reason: `${code} ${parsed.reason}` };
    const tooLarge = bound && implausible(code, parsed.value, bound.limit, bound.unit);
    if (tooLarge) return { ok: false, reason: tooLarge };
    row[field] = parsed.value;
  }
  row.plantKey = plantKeyOf(row.orispl, state, plantName);
  return { ok: true, row };
}
