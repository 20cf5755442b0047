import { type CsvReadOptions, readCsvRecords } from "./csv-records";
import { type GeneratorRow, isBlankRecord, toGeneratorRow } from "./generator-row";
import type { GenSheetLayout } from "./layout";

/** A record that was not loaded, with where it is and why. */
export interface Rejection {
  line: number;
  reason: string;
  /** The record as read (fields re-joined), truncated. */
  raw: string;
}

/** What one piece of input produced. `read` counts non-blank records (loaded + rejected). */
export interface GeneratorBatch {
  rows: GeneratorRow[];
  rejections: Rejection[];
  read: number;
}

export interface GeneratorParseOptions extends CsvReadOptions {
  layout: GenSheetLayout;
  dataYear: number;
  /** Sequence numbers already stored from other parts of the file, with their lines: rows repeating them are duplicates. */
  stored?: ReadonlyMap<number, number>;
}

const RAW_LIMIT = 300;

const TRAILER_REASON =
  "a spreadsheet trailer row (only zeros and blank cells, as Excel leaves below a sheet), not a generator; " +
  "delete it from the CSV";

/** Rows like `0,,,,,,0,,,`: zeros and blanks only (at least one zero; all-blank rows are skipped). */
function isTrailerRecord(fields: string[]): boolean {
  return fields.every((field) => {
    const cell = field.trim();
    return cell === "" || cell === "0";
  });
}

/**
 * Parses the data records of a GEN sheet (input positioned after the header row) into typed
 * generator rows and rejections, piece by piece. A sequence number seen twice rejects the later
 * record as a duplicate.
 */
export async function* parseGeneratorRecords(
  source: AsyncIterable<Uint8Array>,
  options: GeneratorParseOptions,
): AsyncGenerator<GeneratorBatch> {
  const seen = new Map<number, number>(options.stored);
  for await (const records of readCsvRecords(source, options)) {
    const batch: GeneratorBatch = { rows: [], rejections: [], read: 0 };
    for (const record of records) {
      if (isBlankRecord(record.fields)) continue;
      batch.read++;
      const result = record.error
        ? ({ ok: false, reason: record.error } as const)
        : isTrailerRecord(record.fields)
          ? ({ ok: false, reason: TRAILER_REASON } as const)
          : toGeneratorRow(record.fields, options.layout, record.line, options.dataYear);
      if (!result.ok) {
        batch.rejections.push({ line: record.line, reason: result.reason, raw: rawOf(record.fields) });
        continue;
      }
      const earlier = seen.get(result.row.seq);
      if (earlier !== undefined) {
        const reason = `duplicate of line ${earlier} (same sequence number ${result.row.seq})`;
        batch.rejections.push({ line: record.line, reason, raw: rawOf(record.fields) });
        continue;
      }
      seen.set(result.row.seq, record.line);
      batch.rows.push(result.row);
    }
    yield batch;
  }
}

function rawOf(fields: string[]): string {
  const raw = fields.join(",");
  return raw.length > RAW_LIMIT ? `${raw.slice(0, RAW_LIMIT)}…` : raw;
}
