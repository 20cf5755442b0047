import Papa from "papaparse";
import { Utf8OrWindows1252Decoder } from "../../../domain/text-decoding";
import { RecordScanner } from "./record-scanner";

/** One CSV record with the physical line (1-based) it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
  /** Set when the record's quoting is malformed; the record must be rejected with this reason. */
  error?: string;
}

export interface CsvReadOptions {
  /** Physical line number of the first byte of the input. */
  firstLine?: number;
  /**
   * Not used: every record break (CRLF, LF or CR) is recognised on its own, so files with mixed
   * line ends read alike. Accepted so callers that pass the head's style still compile.
   */
  newline?: "\r\n" | "\n" | "\r";
  /** A record longer than this (characters) aborts the read: almost always an unterminated quote. */
  maxRecordChars?: number;
  /** Called once if the bytes are not valid UTF-8 and the rest is read as Windows-1252. */
  onDecodingFallback?: (line: number) => void;
}

export class RecordTooLongError extends Error {
  constructor(
    readonly line: number,
    limit: number,
  ) {
    super(
      `The record starting on line ${line} is longer than ${limit.toLocaleString("en-US")} characters; ` +
        "a quote that is never closed usually causes this. Check the quoting from that line on.",
    );
  }
}

export const DEFAULT_MAX_RECORD_CHARS = 1 << 20;

/**
 * Streams CSV records out of bytes with papaparse's incremental parser, never holding more than
 * one piece of the input plus one unfinished record. Yields the records of each piece together.
 */
export async function* readCsvRecords(
  source: AsyncIterable<Uint8Array>,
  options: CsvReadOptions = {},
): AsyncGenerator<CsvRecord[]> {
  const maxRecordChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  const decoder = new Utf8OrWindows1252Decoder();
  // Record breaks come out of the scanner as LF, so papaparse reads with "\n" whatever the file wrote.
  const scanner = new RecordScanner();
  const parser = new Papa.Parser({ delimiter: ",", newline: "\n", quoteChar: '"' });
  let line = options.firstLine ?? 1;
  let carry = "";
  const decode = (bytes: Uint8Array, final: boolean) =>
    decoder.decode(bytes, final, () => options.onDecodingFallback?.(line));

  const parse = (text: string, final: boolean): CsvRecord[] => {
    const result = parser.parse(text, 0, !final);
    carry = final ? "" : text.slice(result.meta.cursor);
    const errors = new Map<number, string>();
    for (const error of result.errors) {
      if (error.row !== undefined && !errors.has(error.row)) errors.set(error.row, quoteErrorReason(error));
    }
    const records: CsvRecord[] = [];
    (result.data as string[][]).forEach((fields, i) => {
      const record: CsvRecord = { line, fields };
      const error = errors.get(i);
      if (error) record.error = error;
      records.push(record);
      line += 1 + countLineBreaks(record.fields);
    });
    return records;
  };

  for await (const bytes of source) {
    const text = carry + decode(scanner.scan(bytes), false);
    const records = parse(text, false);
    if (carry.length > maxRecordChars) throw new RecordTooLongError(line, maxRecordChars);
    if (records.length > 0) yield records;
  }
  scanner.finish();
  const rest = carry + decode(new Uint8Array(0), true);
  if (rest.length > 0) {
    const records = parse(rest, true);
    if (records.length > 0) yield records;
  }
}

/** Line breaks kept inside quoted fields, in any style (CRLF counts once). */
function countLineBreaks(fields: string[]): number {
  let count = 0;
  for (const field of fields) {
    if (field.includes("\n") || field.includes("\r")) count += field.match(/\r\n|\r|\n/g)?.length ?? 0;
  }
  return count;
}

function quoteErrorReason(error: Papa.ParseError): string {
  if (error.code === "MissingQuotes") return "a quoted field is never closed (unterminated quote)";
  if (error.code === "InvalidQuotes") return "malformed quoting: text follows a closing quote in a field";
  return `malformed CSV: ${error.message}`;
}
