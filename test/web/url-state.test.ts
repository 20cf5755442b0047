import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_VIEW, navigate, parseViewState, viewToSearch } from "../../web/src/lib/url-state";

describe("parseViewState / viewToSearch", () => {
  it("round-trips a view through the query string", () => {
    const view = { state: "TX", n: 5, year: 2023 };
    expect(viewToSearch(view)).toBe("?state=TX&n=5&year=2023");
    expect(parseViewState(viewToSearch(view))).toEqual(view);
  });
  it("leaves defaults out so the plain page has a plain URL", () => {
    expect(viewToSearch(DEFAULT_VIEW)).toBe("");
    expect(parseViewState("")).toEqual(DEFAULT_VIEW);
  });
  it("normalises case and ignores malformed values", () => {
    expect(parseViewState("?state=tx&n=abc&year=20x3")).toEqual({ state: "TX", n: 10, year: null });
    expect(parseViewState("?state=Texas&n=0")).toEqual({ state: null, n: 10, year: null });
    expect(parseViewState("?n=1001").n).toBe(10);
    expect(parseViewState("?n=1000").n).toBe(1000);
  });
});

describe("navigate", () => {
  afterEach(() => window.history.replaceState(null, "", "/"));

  it("adds one history entry per choice, so Back returns to the previous view", () => {
    window.history.replaceState(null, "", "/");
    const start = window.history.length;
    navigate("/?state=TX");
    navigate("/?state=CA");
    expect(window.history.length).toBe(start + 2);
    expect(window.location.search).toBe("?state=CA");
  });

  it("coalesces a run of typing into one entry", () => {
    window.history.replaceState(null, "", "/?state=TX");
    const start = window.history.length;
    navigate("/?state=TX&n=1", { kind: "typing" });
    navigate("/?state=TX&n=15", { kind: "typing" });
    navigate("/?state=TX&n=150", { kind: "typing" });
    expect(window.history.length).toBe(start + 1);
    expect(window.location.search).toBe("?state=TX&n=150");
    navigate("/?state=CA&n=150");
    expect(window.history.length).toBe(start + 2);
  });

  it("does nothing when the URL would not change", () => {
    window.history.replaceState(null, "", "/?state=TX");
    const start = window.history.length;
    navigate("/?state=TX");
    expect(window.history.length).toBe(start);
  });
});
