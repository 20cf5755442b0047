import Papa from "papaparse";
import { sniffBinary } from "../../../domain/binary-files";
import { decodeUtf8OrWindows1252 } from "../../../domain/text-decoding";
import { isBlankRecord } from "./generator-row";
import { type GenSheetLayout, MAX_DESCRIPTION_ROWS, recognizeGenSheet } from "./layout";
import { parseIntegerCell } from "./numbers";
import { RecordScanner } from "./record-scanner";

/** How many leading bytes of an object are read to recognise it. */
export const HEAD_BYTES = 64 * 1024;

export interface FileHead {
  layout: GenSheetLayout;
  /** Byte offset where data records begin (just after the row of column codes). */
  dataStart: number;
  /** Physical line number of the first data record. */
  firstDataLine: number;
  /** The break after the first row; informational: every record's break is recognised on its own. */
  newline: "\r\n" | "\n" | "\r";
  /** The data year: the YEAR most data rows in the head carry. */
  dataYear: number;
}

/** `needMoreBytes`: no data record is complete in the bytes given; a longer head may succeed. */
export type HeadResult = { ok: true; head: FileHead } | { ok: false; error: string; needMoreBytes?: boolean };

/**
 * The most columns a header may have: Excel's limit (16,384, column XFD), so any spreadsheet
 * export loads (extra columns are ignored) and a wider file is refused for being that wide.
 */
export const MAX_COLUMNS = 16_384;

/**
 * Recognises a GEN sheet from the first bytes of an object: checks it is text, finds the row of
 * column codes, where data starts, the line-break style and the data year.
 * `complete` says whether `bytes` is the whole object.
 */
export function inspectHead(bytes: Uint8Array, complete: boolean): HeadResult {
  if (bytes.length === 0) return { ok: false, error: "The file is empty. Upload an eGRID GEN sheet exported as CSV." };
  const binary = sniffBinary(bytes);
  if (binary) return { ok: false, error: binary };
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  // Offsets are counted on the bytes, never on decoded text: a Windows-1252 byte is one byte.
  const scanner = new RecordScanner();
  const records: Array<{ end: number; lineBreaks: number }> = [];
  const noteEnd = (end: number) => {
    if (records.length <= MAX_DESCRIPTION_ROWS) records.push({ end, lineBreaks: scanner.lineBreaks });
  };
  const normalized = scanner.scan(bytes.subarray(bom), noteEnd);
  if (complete) scanner.finish(noteEnd);
  if (records.length === 0 && !complete) {
    return {
      ok: false,
      needMoreBytes: true,
      error:
        `The first row is longer than ${bytes.length.toLocaleString("en-US")} bytes, so it is not a GEN sheet header ` +
        "(a GEN sheet has 6 to 17 columns; its header is under 1 KB). Export only the GEN sheet to CSV and upload that file.",
    };
  }
  const { text } = decodeUtf8OrWindows1252(normalized, complete);
  const parsed = new Papa.Parser({ delimiter: ",", newline: "\n", quoteChar: '"' }).parse(text, 0, !complete);
  const rows = parsed.data as string[][];
  const recognised = recognizeGenSheet(rows.slice(0, MAX_DESCRIPTION_ROWS + 1));
  if (!recognised.ok) return recognised;
  const { layout } = recognised;
  if (layout.columnCount > MAX_COLUMNS) {
    return {
      ok: false,
      error:
        `The header row has ${layout.columnCount.toLocaleString("en-US")} columns; at most ${MAX_COLUMNS.toLocaleString("en-US")} ` +
        "are read (a GEN sheet has 6 to 17). Export only the GEN sheet's columns to CSV and upload again.",
    };
  }

  const headerEnd = records[layout.headerRowIndex] ?? { end: bytes.length - bom, lineBreaks: scanner.lineBreaks };
  const dataStart = bom + headerEnd.end;
  const firstDataLine = 1 + headerEnd.lineBreaks;
  const newline = newlineBefore(bytes, bom + (records[0]?.end ?? 0));

  const dataRows = rows.slice(layout.headerRowIndex + 1).filter((row) => !isBlankRecord(row));
  const dataYear = mostCommonYear(dataRows, layout.columns.year);
  if (dataYear === undefined) {
    const empty = dataRows.length === 0;
    // Not complete and no data row: the header and first row are longer than the bytes read.
    const tooWide =
      `There is no complete data row in the first ${bytes.length.toLocaleString("en-US")} bytes: the header has ` +
      `${layout.columnCount} columns and its rows are too long to recognise the file (a GEN sheet has 6 to 17). ` +
      "Export only the GEN sheet's columns and upload again.";
    return {
      ok: false,
      needMoreBytes: empty && !complete,
      error: empty
        ? complete
          ? "The file has a GEN header but no data rows. Upload the complete GEN sheet."
          : tooWide
        : `No data row in the first ${bytes.length.toLocaleString("en-US")} bytes has a valid YEAR, so the data year ` +
          "cannot be told. Check the YEAR column.",
    };
  }
  return { ok: true, head: { layout, dataStart, firstDataLine, newline, dataYear } };
}

/** The line-break style that ends just before `end` (the first record's break). */
function newlineBefore(bytes: Uint8Array, end: number): FileHead["newline"] {
  if (bytes[end - 1] === 0x0d) return "\r";
  return bytes[end - 2] === 0x0d ? "\r\n" : "\n";
}

function mostCommonYear(rows: string[][], column: number): number | undefined {
  const counts = new Map<number, number>();
  for (const row of rows) {
    const year = parseIntegerCell(row[column] ?? "");
    if (year.ok && year.value !== null && year.value >= 1990 && year.value <= 2100) {
      counts.set(year.value, (counts.get(year.value) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0];
}
