// Issue #15's views in a real browser against the real local stack seeded with the real eGRID
// 2021, 2022 and 2023 files (the default seed, through R2 -> queue -> D1): fuel filter, colours
// and legend, state fuel mix, map by fuel share, movers, plant search and trend. Every figure
// checked comes from an independent papaparse pass over the same files (expected-fuels.ts).
// Screenshots of each view at 390 and 1280 px go to test-artifacts/analysis-*.png.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Papa from "papaparse";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generatorFuels, mixOf, moversUp, sharesText, topByFuel, totalsByOrispl } from "./expected-fuels";
import { proxyReady } from "./web-helpers";

const ROOT = resolve(import.meta.dirname, "../..");
const DATA_2021 = resolve(ROOT, "data/egrid/egrid2021_gen21.csv");
const DATA_2022 = resolve(ROOT, "data/egrid/egrid2022_gen22.csv");
const STACK = resolve(ROOT, "scripts/lib/stack.ts");
const ARTIFACTS = resolve(ROOT, "test-artifacts");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--no-first-run",
];
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const LABELS: Record<string, string> = {
  COAL: "Coal",
  OIL: "Oil",
  GAS: "Gas",
  OFSL: "Other fossil",
  NUCLEAR: "Nuclear",
  HYDRO: "Hydro",
  SOLAR: "Solar",
  WIND: "Wind",
  GEOTHERMAL: "Geothermal",
  BIOMASS: "Biomass",
  OTHF: "Other",
};

// Callbacks passed to page.evaluate run in the browser; the repository's tsconfig has no DOM lib.
declare const document: { activeElement: { id?: string } | null; documentElement: { scrollWidth: number } };

const skip = !existsSync(CHROMIUM)
  ? `Chromium not found at ${CHROMIUM}`
  : !existsSync(DATA_2022)
    ? `real eGRID data not found at ${DATA_2022}`
    : null;
if (skip) console.warn(`[e2e analysis] skipped: ${skip}`);

interface Stack {
  webUrl: string;
  login: { email: string; password: string };
  stop: () => Promise<void>;
}

describe.skipIf(skip !== null)("fuels, years and change in Chromium", () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let persistDir: string;
  const gens2022 = skip ? [] : generatorFuels(DATA_2022);
  const gens2021 = skip ? [] : generatorFuels(DATA_2021);

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    persistDir = await mkdtemp(join(tmpdir(), "egrid-e2e-analysis-"));
    const { startStack } = (await import(STACK)) as { startStack: (o: object) => Promise<Stack> };
    stack = await startStack({ persistDir, apiPort: 0, webPort: 0, seed: "real", quiet: true });
    await proxyReady(stack.webUrl);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true });
    page = await context.newPage();
    // Upper bound for each wait on a loaded machine; not a timing check.
    page.setDefaultTimeout(60_000);
  }, 600_000);

  afterAll(async () => {
    if (broken && page) await shot("failure").catch(() => {});
    await browser?.close();
    await stack?.stop();
    if (persistDir) await rm(persistDir, { recursive: true, force: true });
  });

  // The steps build on each other (signed in, a state chosen): after one fails, skip the rest.
  let broken: string | null = null;
  beforeEach((ctx) => {
    if (broken) ctx.skip(`an earlier step failed: ${broken}`);
  });
  afterEach((ctx) => {
    if (ctx.task.result?.state === "fail") broken ??= ctx.task.name;
  });

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `analysis-${name}.png`), fullPage: true });
  const fitsWidth = (width: number) =>
    expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  /**
   * The view at 1280 and 390 px, each checked for sideways overflow; leaves the desktop size.
   * `part` (a selector) is also saved alone at phone width (`-390-part`), readable at full size.
   */
  const shots = async (name: string, part?: string) => {
    await fitsWidth(DESKTOP.width);
    await shot(`${name}-1280`);
    await page.setViewportSize(PHONE);
    await fitsWidth(PHONE.width);
    await shot(`${name}-390`);
    if (part)
      await page
        .locator(part)
        .first()
        .screenshot({ path: join(ARTIFACTS, `analysis-${name}-390-part.png`) });
    await page.setViewportSize(DESKTOP);
  };
  const download = async (button: string) => {
    const [file] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: button }).click(),
    ]);
    return { name: file.suggestedFilename(), text: await readFile(await file.path(), "utf8") };
  };

  it("signs in", async () => {
    await page.goto(stack.webUrl);
    await page.getByLabel("Email").fill(stack.login.email);
    await page.getByLabel("Password").fill(stack.login.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Top power plants by net generation" }).waitFor();
  });

  it("filters Texas 2022 by wind: the file's largest wind plants, coloured and labelled by fuel", async () => {
    await page.goto(`${stack.webUrl}/?state=TX&year=2022&n=5`);
    await page.getByLabel("Fuel", { exact: true }).selectOption("WIND");
    await page.locator("caption", { hasText: "Top 5 wind plants in Texas, 2022" }).waitFor();
    const expected = topByFuel(gens2022, "TX", "WIND").slice(0, 5);
    expect(expected[0]).toEqual({ name: "Horse Hollow Wind Energy Center", mwh: 2_336_221 });
    expect(await page.locator("table.plants tbody > tr > th button").allTextContents()).toEqual(
      expected.map((p) => p.name),
    );
    const bars = page.locator("svg.bar-chart g.bar-row");
    const values = await bars.evaluateAll((gs) => gs.map((g) => Number(g.getAttribute("data-value"))));
    for (const [i, v] of values.entries()) expect(v).toBeCloseTo(expected[i]?.mwh ?? Number.NaN, 3);
    expect(await page.locator("svg.bar-chart rect.bar").first().getAttribute("fill")).toBe("url(#fuel-pattern-WIND)");
    expect(await page.locator("section.results .fuel-legend").textContent()).toContain("Wind");
    expect(new URL(page.url()).searchParams.get("fuel")).toBe("WIND");
    // All ten columns in view at 1280 px, beside the controls (the last one was cut off before).
    const hidden = await page
      .locator("section.results .table-scroll")
      .first()
      .evaluate((el) => {
        const box = el as unknown as { scrollWidth: number; clientWidth: number };
        return box.scrollWidth - box.clientWidth;
      });
    expect(hidden).toBeLessThanOrEqual(0);
    await shots("fuel-filter", "section.results");
  });

  it("downloads the wind view as the API's CSV", async () => {
    const csv = await download("Download CSV");
    expect(csv.name).toBe("egrid-2022-TX-WIND-top-5.csv");
    const rows = Papa.parse<Record<string, string>>(csv.text.trim(), { header: true }).data;
    const expected = topByFuel(gens2022, "TX", "WIND").slice(0, 5);
    expect(rows.map((r) => r.name)).toEqual(expected.map((p) => p.name));
  });

  it("shows Texas's and the nation's 2022 fuel mix, as the file adds up, and the trend", async () => {
    const panel = page.locator("section.state-panel");
    await panel.getByRole("heading", { name: "Fuel mix, Texas, 2022" }).waitFor();
    await panel.locator(".mix").nth(1).waitFor();
    const [texas, nation] = await panel
      .locator(".mix-figures")
      .evaluateAll((uls) => uls.map((ul) => [...ul.querySelectorAll("li")].map((li) => li.textContent)));
    expect(texas).toEqual(sharesText(mixOf(gens2022, "TX"), LABELS));
    expect(nation).toEqual(sharesText(mixOf(gens2022, null), LABELS));
    await panel.locator(".trend-column").nth(2).waitFor();
    expect(
      await panel.locator(".trend-column").evaluateAll((gs) => gs.map((g) => g.getAttribute("data-year"))),
    ).toEqual(["2021", "2022", "2023"]);
    const csv = await download("Download fuel mix as CSV");
    expect(csv.name).toBe("egrid-fuel-mix-TX.csv");
    const rows = Papa.parse<Record<string, string>>(csv.text.trim(), { header: true }).data;
    const gas = rows.find((r) => r.scope === "TX" && r.year === "2022" && r.category === "GAS");
    expect(Number(gas?.netGenerationMwh)).toBeCloseTo(mixOf(gens2022, "TX").get("GAS") ?? Number.NaN, 3);
    await panel.scrollIntoViewIfNeeded();
    await shots("state-panel", "section.state-panel");
  });

  it("colours the map by wind's share of each state's generation", async () => {
    await page.getByLabel("Colour the map by").selectOption("WIND");
    const texas = page.locator("svg.us-map path[data-state=TX] title");
    await expect
      .poll(() => texas.textContent(), { timeout: 60_000 })
      .toMatch(/^Texas: Wind [0-9.]+% of net generation$/);
    const mix = mixOf(gens2022, "TX");
    const positive = [...mix.values()].filter((v) => v > 0).reduce((a, b) => a + b, 0);
    const share = (((mix.get("WIND") ?? 0) / positive) * 100).toFixed(1);
    // The API's sharePct is of the state's net total (negatives included): within 0.5 points here.
    const shown = Number((await texas.textContent())?.match(/([0-9.]+)%/)?.[1]);
    expect(Math.abs(shown - Number(share))).toBeLessThan(0.5);
    expect(new URL(page.url()).searchParams.get("map")).toBe("WIND");
    await shots("map-share", "figure.map");
    await page.getByLabel("Colour the map by").selectOption("");
  });

  it("shows each row's change against 2021 as the two files differ", async () => {
    await page.getByLabel("Fuel", { exact: true }).selectOption("");
    await page.locator("caption", { hasText: "Top 5 plants in Texas, 2022" }).waitFor();
    const first = page.locator("table.plants tbody > tr").first();
    const name = (await first.locator("th button").textContent()) ?? "";
    const [orispl, now] = [...totalsByOrispl(gens2022, "TX")].find(([, p]) => p.name === name) ?? [];
    const before = totalsByOrispl(gens2021, "TX").get(orispl ?? "")?.mwh ?? Number.NaN;
    const change = (now?.mwh ?? Number.NaN) - before;
    const words = `${change > 0 ? "up" : "down"} ${Math.abs(change).toLocaleString("en-US")} MWh`;
    expect(await first.locator(".change .visually-hidden").textContent()).toContain(`${words} (`);
    expect(await first.locator(".change .visually-hidden").textContent()).toContain("since 2021");
  });

  it("lists Texas's biggest movers from 2021 to 2022 as the files say, with a CSV", async () => {
    await page.getByRole("button", { name: "Biggest movers" }).click();
    await page.locator(".movers-table caption", { hasText: "2021 to 2022" }).waitFor();
    const expected = moversUp(gens2021, gens2022, "TX").slice(0, 5);
    expect(await page.locator(".movers-table tbody > tr > th button").allTextContents()).toEqual(
      expected.map((m) => m.name),
    );
    const bars = await page
      .locator("svg.movers-chart g.bar-row")
      .evaluateAll((gs) => gs.map((g) => Number(g.getAttribute("data-value"))));
    for (const [i, v] of bars.entries()) expect(v).toBeCloseTo(expected[i]?.change ?? Number.NaN, 3);
    expect(new URL(page.url()).searchParams.get("tab")).toBe("movers");
    const csv = await download("Download movers as CSV");
    expect(csv.name).toBe("egrid-movers-2022-up.csv");
    const rows = Papa.parse<Record<string, string>>(csv.text.trim(), { header: true }).data;
    expect(rows.map((r) => r.name)).toEqual(expected.map((m) => m.name));
    await shots("movers", "section.results");
    await page.getByRole("button", { name: "Top plants" }).click();
  });

  it("finds Palo Verde from the keyboard and shows its years, matched across files", async () => {
    await page.goto(`${stack.webUrl}/?year=2023`);
    const box = page.getByRole("combobox", { name: "Find a plant" });
    await box.focus();
    await page.keyboard.type("palo ver");
    await page.locator("[role=option]", { hasText: "Palo Verde" }).first().waitFor();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    const details = page.locator("section.plant-details");
    await details.getByRole("heading", { name: "Palo Verde, Arizona" }).waitFor();
    expect(new URL(page.url()).searchParams.get("plant")).toBe("AZ:Palo Verde");
    // The README's figures for the three files, and how each year was linked (2023 has no ORISPL).
    const history = details.locator("table.history tbody tr");
    await history.nth(2).waitFor();
    expect(await history.locator("th").allTextContents()).toEqual(["2021", "2022", "2023"]);
    const exact = await history.locator("td[title]").evaluateAll((tds) => tds.map((td) => td.getAttribute("title")));
    expect(exact).toEqual(["31,629,861 MWh", "31,942,794 MWh", "31,522,590 MWh"]);
    expect(await details.locator(".trend-column").count()).toBe(3);
    expect(await details.locator("table.generators thead").textContent()).toContain("Year online");
    await shots("plant-search", "section.plant-details");
  });
});
