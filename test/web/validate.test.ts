import { describe, expect, it } from "vitest";
import { validateN } from "../../web/src/lib/validate";

describe("validateN", () => {
  it("accepts whole numbers from 1 to 1000, with surrounding spaces", () => {
    expect(validateN("1")).toEqual({ ok: true, value: 1 });
    expect(validateN(" 25 ")).toEqual({ ok: true, value: 25 });
    expect(validateN("1000")).toEqual({ ok: true, value: 1000 });
  });
  it.each([
    ["0", /at least 1/],
    ["1001", /at most 1000/],
    ["abc", /whole number/],
    ["2.5", /whole number/],
    ["-3", /whole number/],
    ["1e3", /whole number/],
    ["", /from 1 to 1000/],
  ])("rejects %j with a message", (input, message) => {
    const result = validateN(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});
