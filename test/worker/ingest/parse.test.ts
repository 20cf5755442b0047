import { describe, expect, it } from "vitest";
import { sniffBinary } from "../../../domain/binary-files";
import { planChunks } from "../../../worker/ingest/parse/chunk-plan";
import { RecordTooLongError, readCsvRecords } from "../../../worker/ingest/parse/csv-records";
import { inspectHead } from "../../../worker/ingest/parse/head";
import { recognizeGenSheet } from "../../../worker/ingest/parse/layout";
import { parseIntegerCell, parseNumberCell } from "../../../worker/ingest/parse/numbers";

const bytes = (text: string) => new TextEncoder().encode(text);
async function* inPieces(data: Uint8Array, size: number) {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}
async function records(text: string, pieceSize = 3) {
  const out = [];
  for await (const batch of readCsvRecords(inPieces(bytes(text), pieceSize))) out.push(...batch);
  return out;
}

describe("parseNumberCell", () => {
  it.each([
    ["0", 0],
    ["451", 451],
    ["20,961", 20_961],
    ["1,234,567.5", 1_234_567.5],
    [" (11)", -11],
    [" (18,847)", -18_847],
    ["(9,999)", -9_999],
    [" (0)", 0],
    ["-11.383", -11.383],
    [".5", 0.5],
    ["", null],
    ["   ", null],
    ["N/A", null],
    ["--", null],
  ])("reads %j as %j", (raw, value) => {
    expect(parseNumberCell(raw)).toEqual({ ok: true, value });
  });

  it.each(["abc", "1,23", "12,34,567", "(-5)", "1,000e5", "--5", "(", "1.2.3", "Infinity"])(
    "refuses %j with a reason",
    (raw) => {
      const cell = parseNumberCell(raw);
      expect(cell.ok).toBe(false);
      if (!cell.ok) expect(cell.reason).toContain(raw.trim() === "" ? "" : "is not");
    },
  );

  it("wants whole numbers for integer cells", () => {
    expect(parseIntegerCell("2023")).toEqual({ ok: true, value: 2023 });
    expect(parseIntegerCell("20.5").ok).toBe(false);
  });
});

describe("recognizeGenSheet", () => {
  const codes = ["SEQGEN23", "YEAR", "PSTATEABB", "PNAME", "GENID", "GENNTAN"];
  it("finds the code row after up to two description rows, any case, either state spelling", () => {
    const result = recognizeGenSheet([
      ["a", "b"],
      ["c"],
      ["seqgen22", "year", "pstatabb", "pname", "genid", "genntan", "orispl"],
    ]);
    expect(result.ok && result.layout).toMatchObject({ headerRowIndex: 2, columns: { seq: 0, state: 2, orispl: 6 } });
  });
  it("shifts columns for an Excel export's empty leading column", () => {
    const result = recognizeGenSheet([["", ...codes]]);
    expect(result.ok && result.layout.columns).toMatchObject({ seq: 1, netGeneration: 6 });
  });
  it("names missing columns and the sheet it looks like", () => {
    const result = recognizeGenSheet([["SEQUNT23", "YEAR", "PSTATABB", "PNAME", "ORISPL", "UNITID"]]);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toContain("SEQGENyy, GENID, GENNTAN");
      expect(result.error).toContain("UNT (unit) sheet");
    }
  });
  it("does not look past the third row", () => {
    expect(recognizeGenSheet([["x"], ["y"], ["z"], codes]).ok).toBe(false);
  });
});

describe("readCsvRecords", () => {
  it("keeps quoted commas, quotes and newlines, and counts physical lines across tiny pieces", async () => {
    const result = await records('a,"b, c",d\r\n"multi\r\nline","say ""hi""",x\r\nlast,row,\r\n');
    expect(result).toEqual([
      { line: 1, fields: ["a", "b, c", "d"] },
      { line: 2, fields: ["multi\r\nline", 'say "hi"', "x"] },
      { line: 4, fields: ["last", "row", ""] },
    ]);
  });
  it("decodes multi-byte UTF-8 split across pieces", async () => {
    const result = await records("Peñasco,Ōkuma,✓\n", 1);
    expect(result[0]?.fields).toEqual(["Peñasco", "Ōkuma", "✓"]);
  });
  it("flags an unterminated quote at the end", async () => {
    const result = await records('ok,1\n"open,2\n');
    expect(result[1]).toMatchObject({ line: 2, error: expect.stringContaining("unterminated quote") });
  });
  it("stops on a record longer than the limit instead of buffering without end", async () => {
    const source = inPieces(bytes(`"${"x".repeat(5000)}`), 1000);
    await expect(async () => {
      for await (const _ of readCsvRecords(source, { maxRecordChars: 2000, firstLine: 7 })) {
        // drain
      }
    }).rejects.toThrow(RecordTooLongError);
  });
});

describe("inspectHead", () => {
  it("finds where data starts in a file with no quotes at all (regression: first row was skipped)", () => {
    const text = "SEQGEN23,YEAR,PSTATEABB,PNAME,GENID,GENNTAN\n1,2023,TX,A,G1,5\n2,2023,TX,B,G1,6\n";
    const result = inspectHead(bytes(text), true);
    expect(result.ok && result.head).toMatchObject({
      dataStart: text.indexOf("1,2023"),
      firstDataLine: 2,
      dataYear: 2023,
      newline: "\n",
    });
  });
  it("counts the BOM and description rows in the data offset", () => {
    const text = '\uFEFFdesc,"with, comma"\r\nSEQGEN23,YEAR,PSTATEABB,PNAME,GENID,GENNTAN\r\n1,2023,TX,A,G1,5\r\n';
    const result = inspectHead(bytes(text), true);
    expect(result.ok && result.head).toMatchObject({
      dataStart: bytes(text).length - "1,2023,TX,A,G1,5\r\n".length,
      firstDataLine: 3,
    });
  });
  it("tells binary from text", () => {
    expect(sniffBinary(new Uint8Array([0x1f, 0x8b, 8]))).toContain("gzip");
    expect(sniffBinary(bytes("a,b\n"))).toBeUndefined();
  });
});

describe("planChunks", () => {
  it("cuts only at line breaks outside quotes and tiles the data exactly", async () => {
    const data = bytes('h\n1,"a\nb"\n2,c\n3,"d\n\ne"\n4,f\n5,g\n');
    const dataStart = 2;
    const ranges = await planChunks(inPieces(data.subarray(dataStart), 4), {
      dataStart,
      firstDataLine: 2,
      size: data.length,
      targetBytes: 3,
    });
    const text = new TextDecoder().decode(data);
    expect(ranges.map((r) => text.slice(r.byteStart, r.byteEnd))).toEqual([
      '1,"a\nb"\n',
      "2,c\n",
      '3,"d\n\ne"\n',
      "4,f\n",
      "5,g\n",
    ]);
    expect(ranges.map((r) => r.firstLine)).toEqual([2, 4, 5, 8, 9]);
  });
});

describe("state codes", () => {
  it("accepts in files every state code the API accepts as a parameter, and only those", async () => {
    const { STATE_CODES: apiCodes } = await import("../../../domain/states");
    const { toGeneratorRow } = await import("../../../worker/ingest/parse/generator-row");
    const layout = recognizeGenSheet([["SEQGEN23", "YEAR", "PSTATEABB", "PNAME", "GENID", "GENNTAN"]]);
    if (!layout.ok) throw new Error(layout.error);
    const accepted = (code: string) =>
      toGeneratorRow(["1", "2023", code, "Plant", "G1", "5"], layout.layout, 3, 2023).ok;
    expect(apiCodes.filter((code) => !accepted(code))).toEqual([]);
    expect(apiCodes).toHaveLength(56);
    expect(["ZZ", "XX", "US", ""].filter(accepted)).toEqual([]);
  });
});
