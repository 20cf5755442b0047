import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { planChunks } from "../../../worker/ingest/parse/chunk-plan";
import { readCsvRecords } from "../../../worker/ingest/parse/csv-records";
import { inspectHead } from "../../../worker/ingest/parse/head";

// Each test here is a bug the byte scanners had: they must find record ends exactly where
// papaparse does (quotes open only at a field's start), count offsets on bytes, lose no byte.

const encode = (text: string) => new TextEncoder().encode(text);
const latin1 = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));

async function* inPieces(data: Uint8Array, size: number) {
  for (let i = 0; i < data.length; i += size) yield data.slice(i, i + size);
}

async function fieldsOf(data: Uint8Array, pieceSize: number): Promise<string[][]> {
  const out: string[][] = [];
  for await (const batch of readCsvRecords(inPieces(data, pieceSize))) out.push(...batch.map((r) => r.fields));
  return out;
}

/** Plans chunks of `data` and parses each on its own, as the pipeline does. */
async function fieldsByChunks(data: Uint8Array, targetBytes: number, pieceSize = 7) {
  const ranges = await planChunks(inPieces(data, pieceSize), {
    dataStart: 0,
    firstDataLine: 1,
    size: data.length,
    targetBytes,
  });
  const fields: string[][] = [];
  for (const range of ranges)
    fields.push(...(await fieldsOf(data.subarray(range.byteStart, range.byteEnd), pieceSize)));
  return { ranges, fields };
}

const rows = (count: number, name: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => `${i + 1},2023,TX,${name(i)},G1,${i}\n`).join("");

describe("planChunks follows papaparse's quoting", () => {
  it('keeps cutting after an unquoted bare quote in a name (Plant 5" Solar)', async () => {
    const data = encode(rows(200, (i) => (i === 3 ? 'Plant 5" Solar' : `Plant ${i}`)));
    const { ranges, fields } = await fieldsByChunks(data, 400);
    // Before: the quote flipped the scanner into "quoted" for the rest of the file: one giant chunk.
    expect(ranges.length).toBeGreaterThan(10);
    expect(fields).toEqual(Papa.parse<string[]>(new TextDecoder().decode(data), { newline: "\n" }).data.slice(0, -1));
    expect(fields[3]?.[3]).toBe('Plant 5" Solar');
  });

  it('cuts where papaparse ends records when text follows a closing quote (1,"abc"def,5)', async () => {
    const data = encode(
      `${rows(30, (i) => `P${i}`)}31,"abc"def,5\n${rows(30, (i) => `Q${i}`)}32,"q",z\n${rows(30, (i) => `R${i}`)}`,
    );
    const whole = Papa.parse<string[]>(new TextDecoder().decode(data), { newline: "\n" }).data.slice(0, -1);
    for (const target of [1, 50, 333, 1000, 5000]) {
      const { fields } = await fieldsByChunks(data, target);
      expect(fields, `target ${target}`).toEqual(whole);
    }
  });
});

describe("inspectHead counts offsets on bytes", () => {
  it("finds the first data row after a Windows-1252 byte in the description row", async () => {
    const file = latin1(
      "Descripci\xF3n,Data Year,State,Name,Id,Net\r\nSEQGEN23,YEAR,PSTATEABB,PNAME,GENID,GENNTAN\r\n",
    );
    const data = Uint8Array.from([...file, ...encode("12345,2023,TX,A,G1,5\r\n12346,2023,TX,B,G1,6\r\n")]);
    const inspected = inspectHead(data, true);
    if (!inspected.ok) throw new Error(inspected.error);
    expect(inspected.head.dataStart).toBe(file.length);
    expect(inspected.head.firstDataLine).toBe(3);
    expect((await fieldsOf(data.subarray(inspected.head.dataStart), 5))[0]?.[0]).toBe("12345");
  });
});

describe("readCsvRecords decodes Windows-1252 without losing bytes", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 11])("keeps Pe\\xF1asco whole when read in pieces of %i bytes", async (size) => {
    // 0xE9 0xF1: two lead bytes in a row; the first is cut off before the second (found by fast-check).
    const data = latin1("1,Pe\xF1asco,x\n2,Caf\xE9\xF1,\xF1\n");
    expect(await fieldsOf(data, size)).toEqual([
      ["1", "Pe\u00f1asco", "x"],
      ["2", "Caf\u00e9\u00f1", "\u00f1"],
    ]);
  });

  it("keeps UTF-8 names whole across pieces and reads a later Windows-1252 byte as such", async () => {
    const data = Uint8Array.from([...encode("1,Peñasco 🌞,x\n"), ...latin1("2,Caf\xE9,y\n")]);
    for (const size of [1, 2, 3, 5, 8]) {
      expect(await fieldsOf(data, size)).toEqual([
        ["1", "Peñasco 🌞", "x"],
        ["2", "Café", "y"],
      ]);
    }
  });
});

describe("line endings: CR only, LF, CRLF and mixed all end records", () => {
  const header = "SEQGEN23,YEAR,PSTATEABB,PNAME,GENID,GENNTAN";
  const data = ["1,2023,TX,A,G1,5", '2,2023,TX,"B\r\nquoted",G1,6', "3,2023,CA,C,G1,7"];
  const files: Array<[string, string]> = [
    ["CR only", [header, ...data, ""].join("\r")],
    ["LF", [header, ...data, ""].join("\n")],
    ["CRLF", [header, ...data, ""].join("\r\n")],
    ["mixed: CRLF header, LF rows", `${header}\r\n${data.join("\n")}\n`],
    ["mixed: LF header, CR rows, no final break", `${header}\n${data.join("\r")}`],
  ];
  it.each(files)("%s", async (_, text) => {
    const bytes = encode(text);
    const inspected = inspectHead(bytes, true);
    if (!inspected.ok) throw new Error(inspected.error);
    const records = [];
    // As chunk.ts calls it: with the head's line-break style.
    for await (const batch of readCsvRecords(inPieces(bytes.subarray(inspected.head.dataStart), 3), {
      firstLine: inspected.head.firstDataLine,
      newline: inspected.head.newline,
    }))
      records.push(...batch);
    expect(records.map((r) => [r.line, r.fields[0], r.fields[3]])).toEqual([
      [2, "1", "A"],
      [3, "2", "B\r\nquoted"],
      [5, "3", "C"],
    ]);
    const ranges = await planChunks(inPieces(bytes.subarray(inspected.head.dataStart), 2), {
      dataStart: inspected.head.dataStart,
      firstDataLine: inspected.head.firstDataLine,
      size: bytes.length,
      targetBytes: 1,
    });
    expect(ranges.map((r) => r.firstLine)).toEqual([2, 3, 5]);
  });
});
