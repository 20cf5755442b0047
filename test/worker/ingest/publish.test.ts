import { describe, expect, it } from "vitest";
import { FIRST_EGRID_YEAR, holdReason } from "../../../worker/publication/publish";

const now = new Date("2026-11-30T12:00:00Z");
const published = { plants: 12_606, generators: 26_601 };

describe("holdReason: what looks like a mistake", () => {
  it("accepts years from eGRID's first to next calendar year, and holds the others", () => {
    expect(holdReason(FIRST_EGRID_YEAR, published, null, now)).toBeNull();
    expect(holdReason(2027, published, null, now)).toBeNull();
    expect(holdReason(1995, published, null, now)).toMatch(/data year is 1995.*1996 to 2027/);
    expect(holdReason(2028, published, null, now)).toMatch(/data year is 2028/);
  });

  it("holds a file with under half the published plants or generators, giving both counts", () => {
    expect(holdReason(2023, { plants: 6_303, generators: 13_301 }, published, now)).toBeNull();
    expect(holdReason(2023, { plants: 6_302, generators: 26_601 }, published, now)).toMatch(
      /has 6,302 plants, less than 50% of the 12,606 plants of the published 2023 file/,
    );
    expect(holdReason(2023, { plants: 12_606, generators: 13_300 }, published, now)).toMatch(
      /has 13,300 generators, less than 50% of the 26,601 generators/,
    );
    expect(holdReason(2023, { plants: 14, generators: 38 }, published, now)).toMatch(
      /POST \/api\/v1\/datasets\/2023\/active/,
    );
  });

  it("never holds the first file of a year for its size", () => {
    expect(holdReason(2023, { plants: 1, generators: 1 }, null, now)).toBeNull();
  });
});
