import { describe, expect, it } from "vitest";
import { stateCodeOf } from "../../../domain/states";
import { cacheKey, matchesIfNoneMatch } from "../../../worker/api/cache";
import { csvField, toCsv, wantsCsv } from "../../../worker/api/csv";
import { roundTo, shareOfState } from "../../../worker/api/queries/top-plants";
import { csvProblems, mediaType, uploadKey } from "../../../worker/api/upload-checks";
import { fromBase64Url, toBase64Url } from "../../../worker/auth/encoding";

describe("uploadKey", () => {
  const day = new Date("2026-11-22T10:00:00Z");
  it.each([
    ["egrid2023_gen23.csv", "egrid2023_gen23"],
    ["../../etc/passwd", "passwd"],
    ["C:\\Users\\me\\My File (2).CSV", "My_File_2_"],
    ["..", "upload"],
    ["Énergie – données.csv", "nergie_donn_es"],
    [undefined, "upload"],
  ])("%s -> uploads/<day>/<uuid>-%s.csv", (name, base) => {
    const key = uploadKey(name, day);
    expect(key).toMatch(/^uploads\/2026-11-22\/[0-9a-f-]{36}-/);
    expect(key.slice(key.indexOf("-", 50) + 1)).toBe(`${base}.csv`);
    expect(key).not.toContain("..");
  });

  it("bounds very long names", () => {
    expect(uploadKey("x".repeat(5000)).length).toBeLessThanOrEqual(140);
  });
});

describe("csvProblems", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  it("accepts CSV text with or without a BOM, and a multi-byte character cut at the sniff boundary", () => {
    expect(csvProblems(bytes("a,b\r\n1,2\r\n"), true)).toEqual([]);
    expect(csvProblems(bytes("\uFEFFSEQGEN23,YEAR\n"), true)).toEqual([]);
    const cut = bytes("a,b\nÉ").slice(0, -1);
    expect(csvProblems(cut, false)).toEqual([]);
    // Complete, the cut byte is not UTF-8: read as Windows-1252, as the pipeline does.
    expect(csvProblems(cut, true)).toEqual([]);
  });
  it("names binary formats", () => {
    expect(csvProblems(new Uint8Array([0x1f, 0x8b, 8, 0]), false)[0]).toMatch(/gzip/);
    expect(csvProblems(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]), false)[0]).toMatch(/PDF/);
    expect(csvProblems(new Uint8Array(), true)).toEqual(["the body is empty"]);
  });
  it("reads the media type without parameters", () => {
    expect(mediaType("Text/CSV; charset=utf-8")).toBe("text/csv");
    expect(mediaType(undefined)).toBe("");
  });
});

describe("CSV output", () => {
  it("quotes only when needed and keeps values verbatim", () => {
    expect(csvField('Comma, "Quoted"')).toBe('"Comma, ""Quoted"""');
    expect(csvField("=SUM(A1)")).toBe("'=SUM(A1)"); // formula-safe: see csv.test.ts
    expect(csvField(null)).toBe("");
    expect(toCsv(["a", "b"], [{ a: 1, b: "x\ny" }])).toBe('a,b\r\n1,"x\ny"\r\n');
  });
  it("negotiates CSV from format or Accept", () => {
    expect(wantsCsv("csv", undefined)).toBe(true);
    expect(wantsCsv("json", "text/csv")).toBe(false);
    expect(wantsCsv(undefined, "text/csv, application/json")).toBe(true);
    expect(wantsCsv(undefined, "application/json, text/csv")).toBe(false);
    expect(wantsCsv(undefined, "*/*")).toBe(false);
  });
});

describe("cache keys and ETags", () => {
  it("keys contain the dataset version and every parameter, in a stable order", () => {
    expect(cacheKey("top", "v1", { state: "TX", n: 10, offset: 0 })).toBe("api:v1:top:v1:n=10&offset=0&state=TX");
    expect(cacheKey("top", "v2", { n: 10, offset: 0, state: "TX" })).not.toBe(
      cacheKey("top", "v1", { n: 10, offset: 0, state: "TX" }),
    );
    expect(cacheKey("top", "v1", { state: null })).toBe("api:v1:top:v1:state=");
  });
  it("matches If-None-Match lists, weak tags and *", () => {
    expect(matchesIfNoneMatch('"a", W/"b"', '"b"')).toBe(true);
    expect(matchesIfNoneMatch("*", '"b"')).toBe(true);
    expect(matchesIfNoneMatch('"a"', '"b"')).toBe(false);
    expect(matchesIfNoneMatch(undefined, '"b"')).toBe(false);
  });
});

describe("numbers, states, encoding", () => {
  it("computes shares only from known, positive totals", () => {
    expect(shareOfState(25, 100)).toBe(25);
    expect(shareOfState(1, 3)).toBe(33.33);
    expect(shareOfState(null, 100)).toBeNull();
    expect(shareOfState(10, 0)).toBeNull();
    expect(shareOfState(10, -5)).toBeNull();
    expect(roundTo(0.1 + 0.2, 3)).toBe(0.3);
  });
  it("accepts state codes in any case", () => {
    expect(stateCodeOf(" tx ")).toBe("TX");
    expect(stateCodeOf("XX")).toBeNull();
  });
  it("round-trips base64url and refuses other alphabets", () => {
    const bytes = crypto.getRandomValues(new Uint8Array(33));
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    expect(() => fromBase64Url("a+b/")).toThrow();
  });
});
