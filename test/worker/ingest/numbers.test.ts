import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_CAPACITY_MW, MAX_NET_GENERATION_MWH, toGeneratorRow } from "../../../worker/ingest/parse/generator-row";
import { recognizeGenSheet } from "../../../worker/ingest/parse/layout";
import { parseIntegerCell, parseNumberCell } from "../../../worker/ingest/parse/numbers";
import { ingestCsv } from "../helpers/ingest";

describe("parseNumberCell: every way eGRID and Excel write a number", () => {
  it.each([
    // Excel's General format switches to scientific notation for large and tiny values.
    ["1.2E+3", 1200],
    ["1.2e3", 1200],
    ["-4.5E-2", -0.045],
    ["1.23457E+11", 123_457_000_000],
    ["5E+00", 5],
    ["(1.5E+2)", -150],
    ["1E+30", 1e30], // a number; generator-row refuses it as a GENNTAN (see below)
    // What already worked keeps working.
    ["20,961", 20_961],
    ["(11)", -11],
    [" (11)", -11],
    [" (18,847)", -18_847],
    ["(2,529)", -2_529],
    ["-11.383", -11.383],
    ["(0.002)", -0.002],
  ])("reads %j as %j", (raw, value) => {
    expect(parseNumberCell(raw)).toEqual({ ok: true, value });
  });

  it.each(["-", " - ", " -   ", "\t-\t"])("reads Excel's Accounting zero %j as 0, not unknown", (raw) => {
    const cell = parseNumberCell(raw);
    expect(cell).toEqual({ ok: true, value: 0 });
    expect(cell.ok && Object.is(cell.value, 0)).toBe(true);
  });

  it.each(["", "   ", "N/A", "n/a", "--", " -- "])("keeps %j unknown (NULL)", (raw) => {
    expect(parseNumberCell(raw)).toEqual({ ok: true, value: null });
  });

  it.each(["1,234E+3", "E5", "1e", "1.2E+3.4", "1.2E++3", "- 5", "(-)", "-(5)", "1E+99999", "1e400"])(
    "refuses %j with a reason",
    (raw) => {
      const cell = parseNumberCell(raw);
      expect(cell.ok).toBe(false);
      if (!cell.ok) expect(cell.reason).toMatch(/is not a (finite )?number/);
    },
  );

  it("wants whole numbers for integer cells, in any notation", () => {
    expect(parseIntegerCell("2.023E+3")).toEqual({ ok: true, value: 2023 });
    expect(parseIntegerCell("1.5E+0").ok).toBe(false);
    expect(parseIntegerCell("1E+30").ok).toBe(false);
  });
});

/** A decimal number exactly: sign × digits × 10^exponent. */
interface Decimal {
  negative: boolean;
  digits: string;
  exponent: number;
}

const decimal: fc.Arbitrary<Decimal> = fc.record({
  negative: fc.boolean(),
  digits: fc.oneof(fc.constant("0"), fc.stringMatching(/^[1-9]\d{0,14}$/)),
  exponent: fc.integer({ min: -8, max: 6 }),
});

/** The same decimal in positional notation, with `zeros` trailing fraction zeros (format "0.00"). */
function positional({ digits, exponent }: Decimal, zeros: number, group: boolean): string {
  let whole: string;
  let fraction: string;
  if (exponent >= 0) {
    whole = digits + "0".repeat(exponent);
    fraction = "";
  } else {
    const padded = digits.padStart(-exponent + 1, "0");
    whole = padded.slice(0, exponent);
    fraction = padded.slice(exponent);
  }
  if (digits === "0") whole = "0";
  fraction += "0".repeat(zeros);
  if (group) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction ? `${whole}.${fraction}` : whole;
}

/** Scientific notation as Excel writes it: `1.2345E+03` (format 0.00E+00), `1.2345E+3`, or JS's `1.2345e3`. */
function scientific({ digits, exponent }: Decimal, style: "excel" | "excel-short" | "lower"): string {
  const power = digits === "0" ? 0 : exponent + digits.length - 1;
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const sign = power < 0 ? "-" : "+";
  const size = String(Math.abs(power));
  if (style === "lower") return `${mantissa}e${power}`;
  return `${mantissa}E${sign}${style === "excel" ? size.padStart(2, "0") : size}`;
}

const excelCell = fc
  .record({
    number: decimal,
    format: fc.constantFrom("general", "number", "accounting", "scientific", "plain-minus"),
    zeros: fc.integer({ min: 0, max: 2 }),
    science: fc.constantFrom("excel", "excel-short", "lower") as fc.Arbitrary<"excel" | "excel-short" | "lower">,
    pad: fc.constantFrom("", " ", "  "),
  })
  .map(({ number, format, zeros, science, pad }) => {
    // The exact decimal the text stands for; Number() rounds it correctly, as parsing must.
    const expected =
      number.digits === "0" ? 0 : Number(`${number.negative ? "-" : ""}${number.digits}e${number.exponent}`);
    const minus = number.negative && expected !== 0 ? "-" : "";
    let text: string;
    if (format === "accounting") {
      // _(* #,##0.00_);_(* (#,##0.00);_(* "-"??_): zero is a dash, negatives in parentheses.
      if (expected === 0) text = ` -${" ".repeat(zeros + 1)}`;
      else if (minus) text = ` (${positional(number, zeros, true)})`;
      else text = ` ${positional(number, zeros, true)} `;
    } else if (format === "number") {
      text = `${minus}${positional(number, zeros, true)}`;
    } else if (format === "scientific") {
      text = `${minus}${scientific(number, science)}`;
    } else if (format === "plain-minus") {
      text = `${pad}${minus}${positional(number, zeros, false)}`;
    } else {
      // General: positional for moderate values, scientific beyond 11 digits.
      const fixed = positional(number, 0, false);
      text = `${minus}${fixed.replace(".", "").length > 11 ? scientific(number, "excel") : fixed}`;
    }
    return { text, expected };
  });

describe("parseNumberCell property: Excel's formats parse back exactly", () => {
  it("reads any number written as General, Number, Accounting or Scientific to the same double", () => {
    fc.assert(
      fc.property(excelCell, ({ text, expected }) => {
        const cell = parseNumberCell(text);
        expect(cell, text).toEqual({ ok: true, value: expected });
        expect(cell.ok && Object.is(cell.value, expected + 0), text).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

const FULL_HEADER = [
  "SEQGEN22",
  "YEAR",
  "PSTATABB",
  "PNAME",
  "ORISPL",
  "GENID",
  "NUMBLR",
  "GENSTAT",
  "PRMVR",
  "FUELG1",
  "NAMEPCAP",
  "CFACT",
  "GENNTAN",
  "GENNTOZ",
  "GENERSRC",
  "GENYRONL",
  "GENYRRET",
];
const recognized = recognizeGenSheet([FULL_HEADER]);
if (!recognized.ok) throw new Error(recognized.error);
const fullLayout = recognized.layout;

function rowWith(capacity: string, net: string) {
  const fields = [
    "1",
    "2022",
    "AZ",
    "Palo Verde",
    "6008",
    "1",
    "",
    "OP",
    "ST",
    "NUC",
    capacity,
    "0.9",
    net,
    "",
    "x",
    "1986",
    "",
  ];
  return toGeneratorRow(fields, fullLayout, 3, 2022);
}

describe("magnitudes no generator can have are rejected rows", () => {
  it("documents bounds far above every real generator", () => {
    // eGRID 2021-2023: NAMEPCAP at most 1,499.4 MW, GENNTAN at most 11,772,058 MWh.
    expect(MAX_CAPACITY_MW).toBe(10_000);
    expect(MAX_NET_GENERATION_MWH).toBeGreaterThanOrEqual(MAX_CAPACITY_MW * 8784);
  });

  it.each([["999999999999999999999999999999"], ["1E+30"], ["100,000,001"], ["(100,000,001)"], ["-1.5E+9"]])(
    "refuses GENNTAN %j, naming the bound",
    (net) => {
      const result = rowWith("1,400", net);
      expect(result.ok).toBe(false);
      if (!result.ok)
        expect(result.reason).toMatch(/^GENNTAN .* MWh is beyond ±100,000,000 MWh, more than any one generator/);
    },
  );

  it.each([["10,001"], ["1.2E+6"], ["(20,000)"]])("refuses NAMEPCAP %j, naming the bound", (capacity) => {
    const result = rowWith(capacity, "451");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/^NAMEPCAP .* MW is beyond ±10,000 MW, more than any one generator/);
  });

  it("loads values up to the bounds, and the new spellings", () => {
    expect(rowWith("10,000", "100,000,000")).toMatchObject({
      ok: true,
      row: { capacityMw: 10_000, netGenerationMwh: 100_000_000 },
    });
    expect(rowWith("1.4E+3", " (1.2E+3)")).toMatchObject({
      ok: true,
      row: { capacityMw: 1400, netGenerationMwh: -1200 },
    });
    expect(rowWith(" - ", "-")).toMatchObject({ ok: true, row: { capacityMw: 0, netGenerationMwh: 0 } });
    expect(rowWith("N/A", "--")).toMatchObject({ ok: true, row: { capacityMw: null, netGenerationMwh: null } });
  });

  it("through the real pipeline: the absurd row is rejected with its line, the plant total is unaffected", async () => {
    const csv =
      "SEQGEN09,YEAR,PSTATEABB,PNAME,GENID,GENNTAN\n" +
      "1,2009,TX,Comanche Peak,1,1.0E+7\n" +
      "2,2009,TX,Comanche Peak,2,999999999999999999999999999999\n" +
      "3,2009,TX,Comanche Peak,3, - \n" +
      '4,2009,TX,Comanche Peak,4,"1,234"\n';
    const done = await ingestCsv(csv, "numbers-2009.csv");
    expect(done).toMatchObject({ status: "done", rows_read: 4, rows_loaded: 3, rows_rejected: 1 });
    const plant = await env.DB.prepare(
      "SELECT net_generation_mwh, generator_count, unknown_generator_count FROM plants WHERE ingestion_id = ?",
    )
      .bind(done.id)
      .first();
    expect(plant).toEqual({ net_generation_mwh: 10_001_234, generator_count: 3, unknown_generator_count: 0 });
    const rejected = await env.DB.prepare("SELECT line, reason FROM rejected_rows WHERE ingestion_id = ?")
      .bind(done.id)
      .first();
    expect(rejected).toEqual({
      line: 3,
      reason: expect.stringMatching(/^GENNTAN 1e\+30 MWh is beyond ±100,000,000 MWh/),
    });
  });
});
