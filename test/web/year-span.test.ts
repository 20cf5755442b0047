import { describe, expect, it } from "vitest";
import { yearSpan } from "../../web/src/components/analysis/state-panel";

describe("yearSpan (the state trend's title)", () => {
  it("names one year once, and a range with an en dash", () => {
    expect(yearSpan([{ year: 2023 }])).toBe("2023");
    expect(yearSpan([{ year: 2021 }, { year: 2022 }, { year: 2023 }])).toBe("2021–2023");
  });
});
