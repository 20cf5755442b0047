import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  FUEL_CATEGORIES,
  FUEL_CODES,
  fuelCategoryOf,
  fuelCodesValuesSql,
  isKnownFuelCode,
  parseFuelCategory,
} from "../../../domain/fuels";

describe("EPA fuel categories", () => {
  it("maps codes in any case and spacing; unknown codes to OTHF; no code to null", () => {
    expect(fuelCategoryOf("WND")).toBe("WIND");
    expect(fuelCategoryOf(" sub ")).toBe("COAL");
    expect(fuelCategoryOf("MWH")).toBe("OTHF");
    expect(fuelCategoryOf("XYZ")).toBe("OTHF");
    expect(isKnownFuelCode("XYZ")).toBe(false);
    expect(fuelCategoryOf(null)).toBeNull();
    expect(fuelCategoryOf("  ")).toBeNull();
  });

  it("reads a fuel parameter in any case, and nothing else", () => {
    expect(parseFuelCategory("solar")).toBe("SOLAR");
    expect(parseFuelCategory(" Othf ")).toBe("OTHF");
    expect(parseFuelCategory("SUN")).toBeNull();
    expect(parseFuelCategory("")).toBeNull();
  });

  it("lists each code once", () => {
    const codes = FUEL_CATEGORIES.flatMap((c) => FUEL_CODES[c]);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("has a SQL table that maps codes as fuelCategoryOf does (lower case, spaces, unknown and blank)", async () => {
    const samples = [...FUEL_CATEGORIES.flatMap((c) => FUEL_CODES[c]), "wnd", " NG ", "XYZ", "", null];
    const { results } = await env.DB.prepare(
      `WITH codes(code, category) AS (${fuelCodesValuesSql()})
       SELECT j.value AS code, coalesce(c.category, 'OTHF') AS category
         FROM json_each(?1) AS j LEFT JOIN codes AS c ON c.code = upper(trim(j.value))`,
    )
      .bind(JSON.stringify(samples))
      .all<{ code: string | null; category: string }>();
    expect(results).toHaveLength(samples.length);
    // A blank or missing code is OTHF in sums (so mixes add up to the totals).
    for (const r of results) expect(r.category, String(r.code)).toBe(fuelCategoryOf(r.code) ?? "OTHF");
  });
});
