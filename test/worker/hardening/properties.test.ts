import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { STATE_CODES } from "../../../domain/states";
import { planChunks } from "../../../worker/ingest/parse/chunk-plan";
import { RecordTooLongError } from "../../../worker/ingest/parse/csv-records";
import { type GeneratorBatch, parseGeneratorRecords } from "../../../worker/ingest/parse/generator-csv";
import type { GeneratorRow } from "../../../worker/ingest/parse/generator-row";
import { HEAD_BYTES, inspectHead } from "../../../worker/ingest/parse/head";
import { parseNumberCell } from "../../../worker/ingest/parse/numbers";

// Property-based tests of the pure parser: generated GEN files, serialised in every way eGRID
// files and spreadsheet exports are written, must parse back to the rows they were made from.

const RUNS = 150;

/** A GENNTAN value and one of the ways eGRID writes it. */
interface NumberCase {
  value: number | null;
  text: string;
}

function withThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Any eGRID spelling of a number: plain, "20,961", " (11)", " (18,847)", -11.383, blanks, N/A. */
const numberCase: fc.Arbitrary<NumberCase> = fc.oneof(
  fc.constantFrom<NumberCase>(
    { value: null, text: "" },
    { value: null, text: "   " },
    { value: null, text: "N/A" },
    { value: null, text: "--" },
  ),
  fc
    .record({
      whole: fc.nat({ max: 99_999_999 }),
      millis: fc.option(fc.nat({ max: 999 }), { nil: undefined }),
      negative: fc.boolean(),
      thousands: fc.boolean(),
      style: fc.constantFrom("minus", "parens", "parens-space"),
      pad: fc.constantFrom("", " ", "  "),
    })
    .map(({ whole, millis, negative, thousands, style, pad }) => {
      const intText = thousands ? withThousands(String(whole)) : String(whole);
      const frac = millis === undefined ? "" : `.${String(millis).padStart(3, "0")}`;
      const magnitude = millis === undefined ? whole : (whole * 1000 + millis) / 1000;
      const body = `${intText}${frac}`;
      if (!negative || magnitude === 0) return { value: magnitude, text: `${pad}${body}` };
      if (style === "minus") return { value: -magnitude, text: `${pad}-${body}` };
      return { value: -magnitude, text: style === "parens" ? `(${body})` : ` (${body})` };
    }),
);

const SPECIALS = [",", '"', "\n", "\r\n", " ", "'", ";", "é", "中", "🙂", "\t", "Ñ", "<b>", "--", "\\"];
/** Names with commas, quotes, line breaks and any Unicode, not blank after trimming. */
const text = fc
  .array(fc.oneof(fc.constantFrom(...SPECIALS), fc.string({ unit: "grapheme", maxLength: 4 })), {
    minLength: 1,
    maxLength: 8,
  })
  .map((parts) => parts.join("").replaceAll("\u0000", ""))
  .filter((s) => s.trim() !== "");

interface GenRow {
  state: string;
  name: string;
  genId: string;
  net: NumberCase;
  extra: string;
}

const genRow: fc.Arbitrary<GenRow> = fc.record({
  state: fc.constantFrom(...STATE_CODES),
  name: text,
  genId: text,
  net: numberCase,
  extra: fc.string({ maxLength: 5 }).map((s) => s.replaceAll("\u0000", "")),
});

const COLUMNS = ["SEQ", "YEAR", "STATE", "PNAME", "GENID", "GENNTAN", "NUMBLR"] as const;

const layout = fc.record({
  rows: fc.array(genRow, { minLength: 1, maxLength: 40 }),
  newline: fc.constantFrom<"\r\n" | "\n" | "\r">("\r\n", "\n", "\r"),
  bom: fc.boolean(),
  descriptionRows: fc.integer({ min: 0, max: 2 }),
  emptyLeadingColumn: fc.boolean(),
  order: fc.shuffledSubarray([...COLUMNS], { minLength: COLUMNS.length }),
  stateCode: fc.constantFrom("PSTATEABB", "PSTATABB", "pstateabb"),
  upperCodes: fc.boolean(),
  quoteAll: fc.boolean(),
  quoteSeed: fc.infiniteStream(fc.boolean()),
  finalNewline: fc.boolean(),
  trailingBlankLines: fc.integer({ min: 0, max: 2 }),
});

type Layout = typeof layout extends fc.Arbitrary<infer T> ? T : never;

/** Serialises generated rows as a GEN CSV; returns it with the rows the parser must produce. */
function serialise(file: Layout) {
  const quoteChoices = file.quoteSeed[Symbol.iterator]();
  const field = (value: string): string => {
    const mustQuote = /[",\r\n]/.test(value) || value.startsWith("\uFEFF");
    const quote = mustQuote || file.quoteAll || quoteChoices.next().value;
    return quote ? `"${value.replaceAll('"', '""')}"` : value;
  };
  const line = (cells: string[]) => (file.emptyLeadingColumn ? ["", ...cells] : cells).map(field).join(",");
  const codes: Record<(typeof COLUMNS)[number], string> = {
    SEQ: "SEQGEN23",
    YEAR: "YEAR",
    STATE: file.stateCode,
    PNAME: "PNAME",
    GENID: "GENID",
    GENNTAN: "GENNTAN",
    NUMBLR: "NUMBLR",
  };
  const lines: string[] = [];
  const descriptions = ["Generator file sequence number, as EPA writes it", 'Data "Year"', "Plant state"];
  for (let i = 0; i < file.descriptionRows; i++) lines.push(line(descriptions.slice(i)));
  lines.push(line(file.order.map((c) => (file.upperCodes ? codes[c] : codes[c].toLowerCase()))));
  const expected: Array<Record<string, unknown>> = [];
  file.rows.forEach((row, i) => {
    const values: Record<(typeof COLUMNS)[number], string> = {
      SEQ: String(i + 1),
      YEAR: "2023",
      STATE: row.state,
      PNAME: row.name,
      GENID: row.genId,
      GENNTAN: row.net.text,
      NUMBLR: row.extra,
    };
    expected.push({
      // 1 + every line break (CRLF, LF or CR) before the record, including those inside quoted fields.
      line: 1 + lines.join("\n").split(/\r\n|\r|\n/).length,
      seq: i + 1,
      state: row.state,
      plantName: row.name.trim(),
      generatorId: row.genId.trim(),
      netGenerationMwh: row.net.value,
    });
    lines.push(line(file.order.map((c) => values[c])));
  });
  let csv = lines.join(file.newline);
  if (file.finalNewline) csv += file.newline;
  csv += file.newline.repeat(file.trailingBlankLines);
  const bytes = new TextEncoder().encode(csv);
  const withBom = file.bom ? Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes]) : bytes;
  return { bytes: withBom, expected };
}

async function* inPieces(data: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let offset = 0;
  for (let i = 0; offset < data.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    yield data.slice(offset, offset + size);
    offset += size;
  }
}

/** The pipeline's own sequence: recognise the head, then parse the data bytes piece by piece. */
async function parseFile(bytes: Uint8Array, sizes: number[]) {
  const head = inspectHead(bytes.subarray(0, HEAD_BYTES), bytes.length <= HEAD_BYTES);
  if (!head.ok) throw new Error(`inspectHead refused: ${head.error}`);
  const batches: GeneratorBatch[] = [];
  for await (const batch of parseGeneratorRecords(inPieces(bytes.subarray(head.head.dataStart), sizes), {
    layout: head.head.layout,
    dataYear: head.head.dataYear,
    newline: head.head.newline,
    firstLine: head.head.firstDataLine,
  }))
    batches.push(batch);
  return { head: head.head, batches };
}

const pick = (r: GeneratorRow) => ({
  line: r.line,
  seq: r.seq,
  state: r.state,
  plantName: r.plantName,
  generatorId: r.generatorId,
  netGenerationMwh: r.netGenerationMwh,
});

const pieceSizes = fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 8 });

describe("property: any GEN file, however serialised, parses to the rows it was made from", () => {
  it("round-trips rows through random quoting, CRLF/LF/CR, BOM, description rows, empty leading column and piece sizes", async () => {
    await fc.assert(
      fc.asyncProperty(layout, pieceSizes, async (file, sizes) => {
        const { bytes, expected } = serialise(file);
        const { head, batches } = await parseFile(bytes, sizes);
        expect(head.dataYear).toBe(2023);
        expect(head.newline).toBe(file.newline);
        expect(batches.flatMap((b) => b.rejections)).toEqual([]);
        expect(batches.flatMap((b) => b.rows).map(pick)).toEqual(expected);
        expect(batches.reduce((n, b) => n + b.read, 0)).toBe(file.rows.length);
      }),
      { numRuns: RUNS },
    );
  });

  it("keeps LF as the line break when a quoted field of an LF file holds a CRLF (found by the property above)", async () => {
    const csv = 'SEQGEN23,YEAR,PSTATEABB,PNAME,GENID,GENNTAN\n1,2023,AK,A,"G\r\n1",5\n2,2023,AK,B,G2,7\n';
    const { head, batches } = await parseFile(new TextEncoder().encode(csv), [64]);
    expect(head.newline).toBe("\n");
    expect(batches.flatMap((b) => b.rows).map((r) => [r.line, r.generatorId, r.netGenerationMwh])).toEqual([
      [2, "G\r\n1", 5],
      [4, "G2", 7],
    ]);
  });

  it("reads every eGRID number spelling as its value (parseNumberCell)", () => {
    fc.assert(
      fc.property(numberCase, ({ value, text }) => {
        const cell = parseNumberCell(text);
        expect(cell.ok).toBe(true);
        if (cell.ok) expect(cell.value === null ? null : cell.value + 0).toBe(value === null ? null : value + 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('never reads -0: "-0", "(0)" and "-0.000" are stored as 0', () => {
    for (const text of ["-0", " (0)", "-0.000", "(0.0)"]) {
      const cell = parseNumberCell(text);
      expect(cell.ok && Object.is(cell.value, 0), text).toBe(true);
    }
  });

  it("planChunks ranges tile the data, and parsing each range alone gives the records of the whole", async () => {
    await fc.assert(
      fc.asyncProperty(layout, fc.integer({ min: 1, max: 400 }), pieceSizes, async (file, targetBytes, sizes) => {
        const { bytes } = serialise(file);
        const whole = await parseFile(bytes, sizes);
        const { head } = whole;
        const ranges = await planChunks(inPieces(bytes.subarray(head.dataStart), sizes), {
          dataStart: head.dataStart,
          firstDataLine: head.firstDataLine,
          size: bytes.length,
          targetBytes,
        });
        expect(ranges[0]?.byteStart).toBe(head.dataStart);
        expect(ranges.at(-1)?.byteEnd).toBe(bytes.length);
        for (let i = 1; i < ranges.length; i++) expect(ranges[i]?.byteStart).toBe(ranges[i - 1]?.byteEnd);
        const rows = [];
        const rejections = [];
        for (const range of ranges) {
          for await (const batch of parseGeneratorRecords(
            inPieces(bytes.subarray(range.byteStart, range.byteEnd), sizes),
            { layout: head.layout, dataYear: head.dataYear, newline: head.newline, firstLine: range.firstLine },
          )) {
            rows.push(...batch.rows);
            rejections.push(...batch.rejections);
          }
        }
        expect(rows).toEqual(whole.batches.flatMap((b) => b.rows));
        expect(rejections).toEqual(whole.batches.flatMap((b) => b.rejections));
      }),
      { numRuns: RUNS },
    );
  });
});

/** Bytes that are mostly CSV punctuation, digits and invalid UTF-8, to reach the parser's corners. */
const hostileBytes = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }),
  fc
    .array(fc.constantFrom(0x2c, 0x22, 0x0a, 0x0d, 0x61, 0x31, 0x20, 0xff, 0xc3, 0xa9, 0xef, 0xbb, 0xbf, 0x00), {
      maxLength: 3000,
    })
    .map((a) => Uint8Array.from(a)),
);

describe("property: random bytes never crash the parser", () => {
  it("inspectHead always answers ok or a message for the data owner", () => {
    fc.assert(
      fc.property(hostileBytes, fc.boolean(), (bytes, complete) => {
        const result = inspectHead(bytes, complete);
        if (result.ok) expect(result.head.dataStart).toBeLessThanOrEqual(bytes.length);
        else expect(result.error).toMatch(/\w+.*\./);
      }),
      { numRuns: 1000 },
    );
  });

  it("parseGeneratorRecords only ever throws the documented RecordTooLongError, and every record is counted", async () => {
    const known = inspectHead(
      new TextEncoder().encode("SEQGEN23,YEAR,PSTATEABB,PNAME,GENID,GENNTAN\n1,2023,TX,A,G,1\n"),
      true,
    );
    if (!known.ok) throw new Error(known.error);
    await fc.assert(
      fc.asyncProperty(
        hostileBytes,
        pieceSizes,
        fc.constantFrom("\r\n", "\n") as fc.Arbitrary<"\r\n" | "\n">,
        async (bytes, sizes, newline) => {
          try {
            for await (const batch of parseGeneratorRecords(inPieces(bytes, sizes), {
              layout: known.head.layout,
              dataYear: 2023,
              newline,
              maxRecordChars: 500,
            })) {
              expect(batch.read).toBe(batch.rows.length + batch.rejections.length);
              for (const r of batch.rejections) expect(r.reason).not.toBe("");
            }
          } catch (error) {
            expect(error).toBeInstanceOf(RecordTooLongError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
