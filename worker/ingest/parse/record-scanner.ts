const QUOTE = 0x22;
const COMMA = 0x2c;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

// Where the scanner is within a record.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** A quote inside a quoted field: `""` (an escaped quote), a closing quote, or text. */
const QUOTE_IN_QUOTED = 3;
/** Spaces after a quote inside a quoted field: closing if a comma or line break follows. */
const SPACES_AFTER_QUOTE = 4;

/** A buffer for a rewritten piece, holding the piece's bytes before `end`. */
function copyBefore(bytes: Uint8Array, end: number): Uint8Array {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes.subarray(0, end));
  return copy;
}

/** Whitespace papaparse skips between a closing quote and the comma or line break (ASCII part of String#trim). */
function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0b || byte === 0x0c;
}

/**
 * Finds where CSV records end in a stream of bytes, with papaparse's quoting rules (papaparse
 * 5.7 Parser.parse), so byte offsets agree with the records papaparse returns:
 * - a field is quoted only when `"` is its first byte; a `"` anywhere else is plain text;
 * - in a quoted field `""` is a quote; a `"` closes the field only when a comma or a line break
 *   follows, possibly after spaces or tabs; otherwise it is text and the field runs on to the next
 *   quote that does (papaparse reports InvalidQuotes and keeps reading).
 * Line breaks: CRLF, LF and a lone CR (classic Mac Excel) each end a record, and a file may mix
 * them. papaparse takes one style per file, so `scan` also returns the bytes with every record
 * break outside quotes written as LF; papaparse then reads them with newline "\n". Breaks inside
 * quoted fields are kept as written. Works on bytes: the delimiter, quote, CR and LF are single
 * bytes in UTF-8 and Windows-1252 alike.
 * Deliberate differences from one papaparse parse of the whole file: a break of another style than
 * the file's first (a lone CR in an LF file) ends a record here, where papaparse keeps it as text;
 * non-ASCII spaces (U+00A0) between a closing quote and a comma are text here, where papaparse
 * skips them.
 */
export class RecordScanner {
  /** Line breaks seen so far (CRLF counts once), inside quoted fields too. */
  lineBreaks = 0;
  /** Bytes scanned so far. */
  position = 0;
  private state = FIELD_START;
  /** The previous byte was a CR that ended a record; an LF right after it belongs to it. */
  private recordEndingCr = false;
  /** The previous byte was a CR inside a quoted field. */
  private crInQuotes = false;

  /** `rewriteBreaks: false` when only record ends are wanted (no copy of pieces with CRs). */
  constructor(private readonly rewriteBreaks = true) {}

  /**
   * Scans the next piece. `onRecordEnd(end)` gets the offset (from the first byte ever scanned)
   * just past each record's line break; a lone CR's record end is known only at the next byte.
   * Returns the piece with record breaks as LF (the same array when nothing changed).
   */
  scan(bytes: Uint8Array, onRecordEnd?: (end: number) => void): Uint8Array {
    // Hot loop (every byte of every file): state in locals, the common bytes tested first.
    const base = this.position;
    let state = this.state;
    let lineBreaks = this.lineBreaks;
    let recordEndingCr = this.recordEndingCr;
    let crInQuotes = this.crInQuotes;
    let out: Uint8Array | undefined;
    let written = 0;
    const length = bytes.length;
    for (let i = 0; i < length; i++) {
      const byte = bytes[i] as number;
      if (recordEndingCr) {
        recordEndingCr = false;
        if (byte === LINE_FEED) {
          // CRLF: the CR was already written as LF; this LF is dropped.
          if (!out && this.rewriteBreaks) [out, written] = [copyBefore(bytes, i), i];
          this.lineBreaks = lineBreaks;
          onRecordEnd?.(base + i + 1);
          continue;
        }
        this.lineBreaks = lineBreaks;
        onRecordEnd?.(base + i);
      }
      if (state === UNQUOTED && byte !== COMMA && byte !== LINE_FEED && byte !== CARRIAGE_RETURN) {
        // Plain text, the quote included: quoting opens only at a field's start.
      } else if (state === QUOTED) {
        if (byte === QUOTE) state = QUOTE_IN_QUOTED;
        else if (byte === CARRIAGE_RETURN) lineBreaks++;
        else if (byte === LINE_FEED && !crInQuotes) lineBreaks++;
        crInQuotes = byte === CARRIAGE_RETURN;
      } else if (state === QUOTE_IN_QUOTED && byte === QUOTE) {
        state = QUOTED;
      } else if (state === FIELD_START && byte === QUOTE) {
        state = QUOTED;
      } else if (byte === COMMA) {
        state = FIELD_START;
      } else if (byte === LINE_FEED) {
        lineBreaks++;
        state = FIELD_START;
        this.lineBreaks = lineBreaks;
        onRecordEnd?.(base + i + 1);
      } else if (byte === CARRIAGE_RETURN) {
        // Written as LF; its record end is reported at the next byte (an LF would belong to it).
        lineBreaks++;
        state = FIELD_START;
        recordEndingCr = true;
        if (this.rewriteBreaks) {
          if (!out) [out, written] = [copyBefore(bytes, i), i];
          out[written++] = LINE_FEED;
        }
        continue;
      } else if (state === QUOTE_IN_QUOTED || state === SPACES_AFTER_QUOTE) {
        // Not a comma or line break after the quote: spaces may still lead to one; a quote is a
        // new candidate; anything else makes the quote text and the field goes on.
        state = isSpace(byte) ? SPACES_AFTER_QUOTE : byte === QUOTE ? QUOTE_IN_QUOTED : QUOTED;
      } else {
        state = UNQUOTED;
      }
      if (out) out[written++] = byte;
    }
    this.state = state;
    this.lineBreaks = lineBreaks;
    this.recordEndingCr = recordEndingCr;
    this.crInQuotes = crInQuotes;
    this.position += length;
    return out ? out.subarray(0, written) : bytes;
  }

  /** Ends the stream: reports a record ended by a CR in the very last byte. */
  finish(onRecordEnd?: (end: number) => void): void {
    if (this.recordEndingCr) onRecordEnd?.(this.position);
    this.recordEndingCr = false;
  }
}
