import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { planChunks } from "../../../worker/ingest/parse/chunk-plan";
import { type CsvRecord, readCsvRecords } from "../../../worker/ingest/parse/csv-records";
import { inspectHead } from "../../../worker/ingest/parse/head";

// Property tests of the byte scanners against papaparse itself: whatever the quoting (bare quotes,
// text after a closing quote, spaces after it), line ends, encoding, read-piece boundaries and
// chunk size, the pipeline's streamed, chunked reading gives the records of one papaparse parse
// of the whole file.

const RUNS = 200;

type Style = "\n" | "\r\n" | "\r" | "mixed";

/**
 * Field text: ASCII, CSV punctuation, letters that are one byte in Windows-1252, and the file's
 * own line break (LF in a mixed file). A break of another style is a record break everywhere
 * outside quotes (that is how CR-only and mixed files load), where papaparse, taking one style per
 * file, would keep it as text; text after a malformed closing quote can land outside quotes.
 */
const chars = (style: Style) =>
  fc
    .array(fc.constantFrom("a", "b", "1", " ", "\t", '"', ",", style === "mixed" ? "\n" : style, "é", "ñ", "Ü", "ÿ"), {
      maxLength: 6,
    })
    .map((a) => a.join(""));
const plain = fc.array(fc.constantFrom("a", "b", "1", " ", "é", '"'), { maxLength: 6 }).map((a) => a.join(""));

/** One field as a file may write it, including the malformed shapes papaparse still reads. */
const field = (style: Style) =>
  fc.oneof(
    // Unquoted: a quote inside is text (Plant 5" Solar), one at the start would open quoting.
    plain.filter((text) => !text.startsWith('"')),
    // Quoted properly, optionally with spaces before the comma (papaparse drops them).
    fc
      .tuple(chars(style), fc.constantFrom("", " ", " \t"))
      .map(([text, spaces]) => `"${text.replaceAll('"', '""')}"${spaces}`),
    // Text after a closing quote ("abc"def): papaparse reads on to the next closing quote.
    fc.tuple(chars(style), plain).map(([text, after]) => `"${text.replaceAll('"', '""')}"${after}`),
  );

const file = fc.constantFrom<Style>("\n", "\r\n", "\r", "mixed").chain((style) =>
  fc.record({
    records: fc.array(fc.array(field(style), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 25 }),
    style: fc.constant(style),
    breaks: fc.infiniteStream(fc.constantFrom("\n", "\r\n", "\r")),
    finalBreak: fc.boolean(),
    windows1252: fc.boolean(),
  }),
);
type File = typeof file extends fc.Arbitrary<infer T> ? T : never;

const pieceSizes = fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 6 });

function serialise(f: File): { bytes: Uint8Array; expected: string[][] } {
  const breaks = f.breaks[Symbol.iterator]();
  const lines = f.records.map((record) => record.join(","));
  const text = (separator: (line: string) => string) =>
    lines.map((line, i) => (i < lines.length - 1 || f.finalBreak ? line + separator(line) : line)).join("");
  // In a mixed file a CR break, an empty line and an LF break would read "\r\n": one CRLF break
  // for any reader, not a blank line between two breaks. That LF is written as CRLF instead.
  let previous = "";
  const mixedBreak = (line: string) => {
    const next = breaks.next().value as string;
    previous = line === "" && previous === "\r" && next === "\n" ? "\r\n" : next;
    return previous;
  };
  const written = text((line) => (f.style === "mixed" ? mixedBreak(line) : f.style));
  const bytes = f.windows1252 ? Uint8Array.from(written, (c) => c.charCodeAt(0)) : new TextEncoder().encode(written);
  // papaparse takes one line-break style per file: a mixed file is compared with the same records
  // written with LF, and line breaks inside fields compared in any style.
  const reference = f.style === "mixed" ? text(() => "\n") : written;
  const data = Papa.parse<string[]>(reference, { newline: f.style === "mixed" ? "\n" : f.style, delimiter: "," }).data;
  // papaparse ends with an empty row when the text ends with a line break; the reader yields none.
  const last = data.at(-1);
  if (/[\r\n]$/.test(reference) && last?.length === 1 && last[0] === "") data.pop();
  return { bytes, expected: data };
}

async function* inPieces(data: Uint8Array, sizes: number[]) {
  for (let offset = 0, i = 0; offset < data.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    yield data.slice(offset, offset + size);
    offset += size;
  }
}

async function read(bytes: Uint8Array, sizes: number[], firstLine = 1): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for await (const batch of readCsvRecords(inPieces(bytes, sizes), { firstLine })) records.push(...batch);
  return records;
}

const anyBreak = (fields: string[]) => fields.map((f) => f.replace(/\r\n|\r/g, "\n"));

describe("property: the byte scanners find the records papaparse finds in the whole file", () => {
  it("readCsvRecords over arbitrary read pieces gives papaparse's records", async () => {
    await fc.assert(
      fc.asyncProperty(file, pieceSizes, async (f, sizes) => {
        const { bytes, expected } = serialise(f);
        const fields = (await read(bytes, sizes)).map((r) => r.fields);
        if (f.style === "mixed") expect(fields.map(anyBreak)).toEqual(expected.map(anyBreak));
        else expect(fields).toEqual(expected);
      }),
      { numRuns: RUNS },
    );
  });

  it("planChunks at any chunk size cuts only where records end: chunks read alone give the same records and lines", async () => {
    await fc.assert(
      fc.asyncProperty(file, fc.integer({ min: 1, max: 300 }), pieceSizes, async (f, targetBytes, sizes) => {
        const { bytes } = serialise(f);
        fc.pre(bytes.length > 0);
        const whole = await read(bytes, [bytes.length]);
        const ranges = await planChunks(inPieces(bytes, sizes), {
          dataStart: 0,
          firstDataLine: 1,
          size: bytes.length,
          targetBytes,
        });
        const chunked: CsvRecord[] = [];
        for (const range of ranges) {
          expect(range.byteEnd).toBeGreaterThan(range.byteStart);
          chunked.push(...(await read(bytes.subarray(range.byteStart, range.byteEnd), sizes, range.firstLine)));
        }
        // Windows-1252 is detected per chunk, so compare the text as the whole file decodes it.
        expect(chunked.map((r) => [r.line, r.fields])).toEqual(whole.map((r) => [r.line, r.fields]));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("property: inspectHead finds the data start on bytes, whatever the header's bytes and line ends", () => {
  it("the first data row is read whole after Windows-1252 or UTF-8 description rows in any line-end style", () => {
    fc.assert(
      fc.property(
        chars("\n"),
        fc.constantFrom("\n", "\r\n", "\r"),
        fc.constantFrom("\n", "\r\n", "\r"),
        fc.boolean(),
        (description, headBreak, dataBreak, windows1252) => {
          const quoted = `"${description.replaceAll('"', '""')}"`;
          const head = `${quoted},Data Year${headBreak}SEQGEN23,YEAR,PSTATEABB,PNAME,GENID,GENNTAN${headBreak}`;
          const headBytes = windows1252
            ? Uint8Array.from(head, (c) => c.charCodeAt(0))
            : new TextEncoder().encode(head);
          const data = new TextEncoder().encode(`12345,2023,TX,A,G1,5${dataBreak}12346,2023,TX,B,G1,6${dataBreak}`);
          const bytes = Uint8Array.from([...headBytes, ...data]);
          const inspected = inspectHead(bytes, true);
          if (!inspected.ok) throw new Error(inspected.error);
          expect(inspected.head.dataStart).toBe(headBytes.length);
          expect(inspected.head.firstDataLine).toBe(3 + (description.match(/\r\n|\r|\n/g)?.length ?? 0));
          expect(inspected.head.dataYear).toBe(2023);
        },
      ),
      { numRuns: 500 },
    );
  });
});
