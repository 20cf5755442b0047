import { describe, expect, it } from "vitest";
import { formatCount, formatEnergy, formatExactMwh, formatPercent, formatTime } from "../../web/src/lib/format";

describe("formatEnergy", () => {
  it("uses TWh for the largest plants, three significant digits", () => {
    expect(formatEnergy(31_522_590)).toBe("31.5 TWh"); // Palo Verde 2023
    expect(formatEnergy(1_000_000)).toBe("1.00 TWh");
  });
  it("uses GWh and MWh below a million and a thousand", () => {
    expect(formatEnergy(20_961)).toBe("21.0 GWh");
    expect(formatEnergy(451)).toBe("451 MWh");
    expect(formatEnergy(0)).toBe("0 MWh");
    expect(formatEnergy(12.34)).toBe("12.3 MWh");
    expect(formatEnergy(11_300_000)).toBe("11.3 TWh");
    expect(formatEnergy(12_000_000)).toBe("12.0 TWh"); // trailing zero kept so columns read evenly
  });
  it("moves up a unit when rounding would print 1,000 of the smaller one", () => {
    expect(formatEnergy(999_999)).toBe("1.00 TWh");
    expect(formatEnergy(999.7)).toBe("1.00 GWh");
  });
  it("keeps the sign of negative plants (pumped storage)", () => {
    expect(formatEnergy(-1_034_280)).toBe("-1.03 TWh"); // Bath County VA
    expect(formatEnergy(-11)).toBe("-11 MWh");
  });
  it('says "unknown" for blank generation, never 0', () => {
    expect(formatEnergy(null)).toBe("unknown");
    expect(formatExactMwh(null)).toBe("unknown");
  });
});

describe("exact figures", () => {
  it("prints MWh with thousands separators", () => {
    expect(formatExactMwh(31_522_590)).toBe("31,522,590 MWh");
    expect(formatExactMwh(-18_847)).toBe("-18,847 MWh");
    expect(formatExactMwh(12.5)).toBe("12.5 MWh");
  });
  it("prints percentages and counts", () => {
    expect(formatPercent(12.345)).toBe("12.3%");
    expect(formatPercent(null)).toBe("n/a");
    expect(formatCount(12_606)).toBe("12,606");
  });
});

describe("formatTime", () => {
  it("shows an instant in the reader's locale, and says so when there is none", () => {
    expect(formatTime("2026-11-30T12:00:00Z")).toBe(new Date("2026-11-30T12:00:00Z").toLocaleString());
    expect(formatTime(null)).toBe("—");
    expect(formatTime(null, "never")).toBe("never");
  });
});
