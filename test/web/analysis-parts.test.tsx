import { render } from "preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChangeFigure } from "../../web/src/components/analysis/change-figure";
import { fuelShares, MixBar, StackedColumns } from "../../web/src/components/analysis/fuel-charts";
import { FuelLegend, FuelPatterns, FuelSwatch } from "../../web/src/components/analysis/fuel-key";
import { fullSearch, parseAnalysisLink } from "../../web/src/lib/analysis-url";
import { toCsv } from "../../web/src/lib/csv";
import { FUEL_CATEGORIES, FUEL_STYLES } from "../../web/src/lib/fuels";
import { DEFAULT_VIEW } from "../../web/src/lib/url-state";

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement("div");
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

describe("the URL holds every issue #15 choice", () => {
  it("round-trips fuel, tab, direction, map colouring and the open plant beside state/n/year", () => {
    const analysis = { fuel: "WIND", tab: "movers", dir: "down", plant: "AZ:Palo Verde", map: "SOLAR" } as const;
    const search = fullSearch({ state: "TX", n: 5, year: 2022 }, analysis);
    expect(search).toBe("?state=TX&n=5&year=2022&fuel=WIND&tab=movers&dir=down&map=SOLAR&plant=AZ%3APalo+Verde");
    expect(parseAnalysisLink(search)).toEqual({ analysis, problems: [] });
  });

  it("leaves defaults out and reads any case", () => {
    expect(fullSearch(DEFAULT_VIEW, parseAnalysisLink("").analysis)).toBe("");
    expect(parseAnalysisLink("?fuel=solar").analysis.fuel).toBe("SOLAR");
  });

  it("explains a bad fuel, tab or direction and falls back to the default", () => {
    const { analysis, problems } = parseAnalysisLink("?fuel=plutonium&tab=x&dir=sideways&map=zz");
    expect(analysis).toMatchObject({ fuel: null, tab: "top", dir: "up", map: null });
    expect(problems).toHaveLength(4);
    expect(problems[0]).toContain('fuel "plutonium" is not an EPA fuel category');
  });
});

describe("fuel colours read without colour", () => {
  it("gives every category a distinct colour+pattern pair and its own pattern definition", () => {
    const pairs = FUEL_CATEGORIES.map((c) => `${FUEL_STYLES[c].color}/${FUEL_STYLES[c].pattern}`);
    expect(new Set(pairs).size).toBe(FUEL_CATEGORIES.length);
    render(<FuelPatterns />, root);
    for (const c of FUEL_CATEGORIES) expect(root.querySelector(`pattern#fuel-pattern-${c}`)).not.toBeNull();
  });

  it("writes the category's name beside each swatch; a code outside EPA's table shows as the code", () => {
    render(
      <div>
        <FuelSwatch category="OFSL" />
        <FuelSwatch category={null} />
        <FuelLegend categories={["WIND", "GAS", "WIND"]} />
      </div>,
      root,
    );
    const swatches = [...root.querySelectorAll(".fuel-swatch")].map((s) => s.textContent);
    expect(swatches).toEqual(["Other fossil", "Other", "Gas", "Wind"]);
  });

  it("writes each share of a mix in words, the positive parts summing to 100%", () => {
    const mix = { GAS: 300, WIND: 100, HYDRO: -50, COAL: null };
    expect(fuelShares(mix).map((s) => [s.category, s.pct])).toEqual([
      ["GAS", 75],
      ["WIND", 25],
    ]);
    render(<MixBar label="Texas" mix={mix} />, root);
    expect(root.querySelector(".mix-figures")?.textContent).toBe("Gas 75.0%Wind 25.0%");
    expect(root.querySelector("svg")?.getAttribute("aria-label")).toBe("Texas: Gas 75.0%, Wind 25.0%");
  });
});

describe("StackedColumns", () => {
  it("stacks each year by fuel with a legend, and draws a year without fuels as its total alone", () => {
    render(
      <StackedColumns
        id="t"
        title="Trend"
        columns={[
          { label: "2022", byFuel: { GAS: 300, HYDRO: -50 }, total: 250 },
          { label: "2023", byFuel: {}, total: 200 },
        ]}
      />,
      root,
    );
    const [y22, y23] = [...root.querySelectorAll(".trend-column")];
    expect([...(y22?.querySelectorAll("rect") ?? [])].map((r) => r.getAttribute("data-fuel"))).toEqual([
      "GAS",
      "HYDRO",
    ]);
    const gas = y22?.querySelector("rect[data-fuel=GAS]");
    const hydro = y22?.querySelector("rect[data-fuel=HYDRO]");
    // Gas ends at the zero line where hydro (negative) starts.
    expect(Number(gas?.getAttribute("y")) + Number(gas?.getAttribute("height"))).toBeCloseTo(
      Number(hydro?.getAttribute("y")),
    );
    const plain = y23?.querySelectorAll("rect");
    expect(plain).toHaveLength(1);
    expect(plain?.[0]?.getAttribute("class")).toBe("bar");
    expect(plain?.[0]?.querySelector("title")?.textContent).toBe("2023, all fuels: 200 MWh");
    expect(root.querySelector(".fuel-legend")?.textContent).toBe("Fuel:GasHydro");
  });
});

describe("ChangeFigure", () => {
  it("shows an arrow, the signed change and the per cent, and says it in words", () => {
    render(<ChangeFigure changeMwh={-1_234_567} changePct={-12.34} previousYear={2021} />, root);
    const el = root.querySelector(".change");
    expect(el?.className).toContain("down");
    expect(el?.querySelector("[aria-hidden]")?.textContent).toBe("▼ -1.23 TWh -12.3%");
    expect(el?.querySelector(".visually-hidden")?.textContent).toBe("down 1,234,567 MWh (-12.3%) since 2021");
  });

  it("says new when there is no earlier year, and n/a when the previous year had nothing", () => {
    render(<ChangeFigure changeMwh={null} changePct={null} previousYear={null} />, root);
    expect(root.textContent).toBe("new (no earlier year)");
    render(<ChangeFigure changeMwh={500} changePct={null} previousYear={2021} />, root);
    expect(root.querySelector("[aria-hidden]")?.textContent).toBe("▲ +500 MWh n/a");
  });
});

describe("toCsv", () => {
  it("quotes commas and quotes, neutralises formulas, and leaves numbers exact", () => {
    expect(
      toCsv(
        ["a", "b", "c"],
        [
          ['x, "y"', "=1+1", -12.5],
          [null, "ok", 3],
        ],
      ),
    ).toBe('a,b,c\r\n"x, ""y""",\'=1+1,-12.5\r\n,ok,3\r\n');
  });
});
