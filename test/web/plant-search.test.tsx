import { describe, expect, it, vi } from "vitest";
import type { PlantSearchResponse } from "../../web/src/lib/analysis-api";
import { analysisApi } from "./helpers/analysis-api";
import { mountApp } from "./helpers/mount-app";

const PALO: PlantSearchResponse["data"] = [
  {
    plantId: "6008",
    orispl: 6008,
    name: "Palo Verde",
    state: "AZ",
    netGenerationMwh: 31_942_794,
    rank: 1,
    primaryFuelCategory: "NUCLEAR",
  },
  {
    plantId: "7777",
    orispl: 7777,
    name: "Palo Alto Solar",
    state: "CA",
    netGenerationMwh: 12_000,
    rank: 900,
    primaryFuelCategory: "SOLAR",
  },
];

function searchApi() {
  return analysisApi(({ url }) =>
    url.pathname === "/api/v1/plants"
      ? { body: { data: url.searchParams.get("search") === "palo" ? PALO : [] } }
      : undefined,
  );
}

function type(input: HTMLInputElement, text: string) {
  input.value = text;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}
const key = (input: HTMLInputElement, k: string) =>
  input.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true }));

describe("plant search box", () => {
  it("asks once per pause, lists matches, and opens the one chosen with Down and Enter", async () => {
    const calls = searchApi();
    const el = mountApp("/?year=2022", "analyst");
    const input = (await vi.waitFor(() => el.querySelector("#plant-search"))) as HTMLInputElement;
    type(input, "p");
    type(input, "pa");
    type(input, "pal");
    type(input, "palo");
    await vi.waitFor(() => expect(el.querySelectorAll("[role=option]")).toHaveLength(2));
    const searches = calls.filter((c) => c.url.pathname === "/api/v1/plants");
    expect(searches.map((c) => c.url.searchParams.get("search"))).toEqual(["palo"]);
    expect(searches[0]?.url.searchParams.get("year")).toBe("2022");
    expect(input.getAttribute("aria-expanded")).toBe("true");
    key(input, "ArrowDown");
    key(input, "ArrowDown");
    await vi.waitFor(() => expect(input.getAttribute("aria-activedescendant")).toBe("plant-search-option-1"));
    key(input, "ArrowUp");
    key(input, "Enter");
    await vi.waitFor(() => expect(new URLSearchParams(window.location.search).get("plant")).toBe("6008"));
    expect(input.value).toBe("");
    // The plant opened from the search box is fetched for the year shown.
    await vi.waitFor(() => expect(calls.some((c) => c.url.pathname === "/api/v1/plants/6008")).toBe(true));
  });

  it("says so when nothing matches, and sends nothing for one letter", async () => {
    const calls = searchApi();
    const el = mountApp("/", "analyst");
    const input = (await vi.waitFor(() => el.querySelector("#plant-search"))) as HTMLInputElement;
    type(input, "z");
    await new Promise((r) => setTimeout(r, 350));
    expect(calls.some((c) => c.url.pathname === "/api/v1/plants")).toBe(false);
    type(input, "zzyzx");
    await vi.waitFor(() => expect(el.querySelector(".plant-search [role=status]")?.textContent).toContain("zzyzx"));
    expect(input.getAttribute("aria-expanded")).toBe("false");
  });
});
