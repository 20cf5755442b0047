import { render } from "preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BarChart, chartDomain } from "../../web/src/components/bar-chart";
import { PlantTable } from "../../web/src/components/plant-table";
import type { TopPlant } from "../../web/src/lib/api";

function plant(rank: number, name: string, netGenerationMwh: number | null, extra: Partial<TopPlant> = {}): TopPlant {
  return {
    rank,
    plantId: `VA:${name}`,
    orispl: null,
    name,
    state: "VA",
    netGenerationMwh,
    generatorCount: 2,
    unknownGeneratorCount: 0,
    shareOfStatePct: null,
    primaryFuel: null,
    primaryFuelCategory: null,
    capacityMw: null,
    previous: null,
    changeMwh: null,
    changePct: null,
    ...extra,
  };
}

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement("div");
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

describe("PlantTable", () => {
  it("shows markup in a plant name as text and never creates the element", () => {
    const hostile = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">`;
    render(<PlantTable plants={[plant(1, hostile, 5)]} caption="Test" />, root);
    const cell = root.querySelector("tbody th");
    expect(cell?.textContent).toBe(hostile);
    expect(root.querySelector("tbody script")).toBeNull();
    expect(root.querySelector("tbody img")).toBeNull();
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it("has a caption, column headers and row headers", () => {
    render(<PlantTable plants={[plant(1, "Palo Verde", 31_522_590)]} caption="Top 1 plants" />, root);
    expect(root.querySelector("caption")?.textContent).toBe("Top 1 plants");
    const cols = [...root.querySelectorAll("thead th")];
    expect(cols.map((th) => th.getAttribute("scope"))).toEqual(Array(8).fill("col"));
    expect(cols.map((th) => th.textContent?.trim())).toContain("Net generation");
    expect(root.querySelector("tbody th")?.getAttribute("scope")).toBe("row");
  });

  it("shows readable units with the exact MWh in a title, and unknown for blank generation", () => {
    render(
      <PlantTable
        plants={[plant(1, "Palo Verde", 31_522_590), plant(2, "Mystery", null, { unknownGeneratorCount: 2 })]}
        caption="x"
      />,
      root,
    );
    const figure = root.querySelector("tbody tr:first-child data");
    expect(figure?.getAttribute("value")).toBe("31522590");
    expect(figure?.getAttribute("title")).toBe("31,522,590 MWh");
    expect(figure?.querySelector("[aria-hidden]")?.textContent).toBe("31.5 TWh");
    const second = root.querySelectorAll("tbody tr")[1];
    expect(second?.querySelector(".unknown")?.textContent?.trim()).toBe("unknown");
    expect(second?.textContent).toContain("(2 unknown)");
    expect(second?.textContent).not.toMatch(/\b0 MWh/);
  });
});

describe("PlantTable on touch screens", () => {
  it("shows the exact MWh on a tap (no hover needed), and the readable figure on a second tap", async () => {
    render(<PlantTable plants={[plant(1, "Palo Verde", 31_522_590)]} caption="x" />, root);
    const figure = root.querySelector("tbody button.figure") as HTMLButtonElement;
    expect(figure.textContent).toContain("31.5 TWh");
    figure.click();
    await vi.waitFor(() => expect(figure.getAttribute("aria-pressed")).toBe("true"));
    expect(figure.textContent).toBe("31,522,590 MWh");
    figure.click();
    await vi.waitFor(() => expect(figure.querySelector("[aria-hidden]")?.textContent).toBe("31.5 TWh"));
  });

  it("shows a plant's details in a row right below that plant, not below the whole list", () => {
    const plants = [plant(1, "A", 3), plant(2, "B", 2), plant(3, "C", 1)];
    render(<PlantTable plants={plants} caption="x" openId="VA:B" details={<p id="d">details of B</p>} />, root);
    const rows = [...root.querySelectorAll("tbody > tr")];
    expect(rows.map((r) => r.querySelector("th")?.textContent ?? r.className)).toEqual(["A", "B", "details-row", "C"]);
    expect(rows[2]?.querySelector("#d")?.textContent).toBe("details of B");
  });

  it("labels the figures of each row for the phone card layout", () => {
    render(<PlantTable plants={[plant(1, "Palo Verde", 31_522_590)]} caption="x" />, root);
    const labels = [...root.querySelectorAll("tbody td[data-label]")].map((td) => td.getAttribute("data-label"));
    expect(labels).toEqual(["State", "Net generation", "Change", "Share of state", "Generators", "Primary fuel"]);
  });
});

describe("BarChart", () => {
  it("includes zero in the domain whatever the values", () => {
    expect(chartDomain([5, 10])).toEqual([0, 10]);
    expect(chartDomain([-4, -1])).toEqual([-4, 0]);
    expect(chartDomain([null])).toEqual([0, 1]);
  });

  it("draws negative plants to the left of the zero line and positive ones to the right", () => {
    const plants = [plant(1, "Big", 1_000_000), plant(2, "Bath County", -1_034_280)];
    render(<BarChart plants={plants} title="t" />, root);
    const zero = Number(root.querySelector(".zero-line")?.getAttribute("x1"));
    const [pos, neg] = [...root.querySelectorAll("rect.bar")];
    expect(Number(pos?.getAttribute("x"))).toBeCloseTo(zero, 5);
    expect(Number(pos?.getAttribute("width"))).toBeGreaterThan(0);
    expect(neg?.classList.contains("negative")).toBe(true);
    const negEnd = Number(neg?.getAttribute("x")) + Number(neg?.getAttribute("width"));
    expect(negEnd).toBeCloseTo(zero, 5);
    expect(Number(neg?.getAttribute("x"))).toBeLessThan(zero);
    // Bar lengths are proportional to the values.
    const ratio = Number(neg?.getAttribute("width")) / Number(pos?.getAttribute("width"));
    expect(ratio).toBeCloseTo(1.03428, 3);
  });

  it("draws no length for a plant at exactly 0 MWh, and a visible one for a tiny plant", () => {
    render(
      <BarChart plants={[plant(1, "Big", 30_000_000), plant(2, "Tiny", 3), plant(3, "Idle", 0)]} title="t" />,
      root,
    );
    const widths = [...root.querySelectorAll("rect.bar")].map((r) => Number(r.getAttribute("width")));
    expect(widths[1]).toBeGreaterThanOrEqual(1);
    expect(widths[2]).toBe(0);
  });

  it('marks unknown generation "unknown" with no bar', () => {
    render(<BarChart plants={[plant(1, "A", 10), plant(2, "Mystery", null)]} title="t" />, root);
    const rows = root.querySelectorAll("g.bar-row");
    expect(rows).toHaveLength(2);
    expect(rows[1]?.getAttribute("data-value")).toBe("unknown");
    expect(rows[1]?.querySelector("rect")).toBeNull();
    expect(rows[1]?.querySelector(".bar-value")?.textContent).toBe("unknown");
  });
});
