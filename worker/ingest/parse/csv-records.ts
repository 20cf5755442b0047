import Papa from "papaparse";

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
  /** Record separator; detected from the first line break when omitted. */
  newline?: "\r\n" | "\n";
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
  // Strict UTF-8 first; Excel's "CSV" on Windows writes Windows-1252 (Latin-1) names, so bytes
  // that are not UTF-8 are read as that instead of turning into U+FFFD.
  let decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  const decode = (bytes?: Uint8Array): string => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      decoder = new TextDecoder("windows-1252");
      options.onDecodingFallback?.(line);
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    }
  };
  let newline = options.newline;
  let parser: Papa.Parser | undefined;
  let line = options.firstLine ?? 1;
  let carry = "";

  const parse = (text: string, final: boolean): CsvRecord[] => {
    if (!newline && !final && !text.includes("\n")) {
      carry = text; // Cannot tell CRLF from LF before the first line break.
      return [];
    }
    newline ??= detectNewline(text);
    parser ??= new Papa.Parser({ delimiter: ",", newline, quoteChar: '"' });
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
    const text = carry + decode(bytes);
    const records = parse(text, false);
    if (carry.length > maxRecordChars) throw new RecordTooLongError(line, maxRecordChars);
    if (records.length > 0) yield records;
  }
  const rest = carry + decode();
  if (rest.length > 0) {
    const records = parse(rest, true);
    if (records.length > 0) yield records;
  }
}

function detectNewline(text: string): "\r\n" | "\n" {
  const index = text.indexOf("\n");
  return index > 0 && text[index - 1] === "\r" ? "\r\n" : "\n";
}

function countLineBreaks(fields: string[]): number {
  let count = 0;
  for (const field of fields) {
    for (let i = field.indexOf("\n"); i !== -1; i = field.indexOf("\n", i + 1)) count++;
  }
  return count;
}

function quoteErrorReason(error: Papa.ParseError): string {
  if (error.code === "MissingQuotes") return "a quoted field is never closed (unterminated quote)";
  if (error.code === "InvalidQuotes") return "malformed quoting: text follows a closing quote in a field";
  return `malformed CSV: ${error.message}`;
}
