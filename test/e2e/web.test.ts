// The analyst page in a real browser against the real local stack: Debian's Chromium driven by
// playwright-core, the API Worker and the Pages site under wrangler, real eGRID 2023 data loaded
// through the page's own upload form (R2 -> queue -> D1). Screenshots go to test-artifacts/.
import { existsSync } from "node:fs";
import { appendFile, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Papa from "papaparse";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ExpectedPlant, plantsFromCsv, rank } from "./expected-plants";
import { api, expectMwh, proxyReady } from "./web-helpers";

const ROOT = resolve(import.meta.dirname, "../..");
const DATA = resolve(ROOT, "data/egrid/egrid2023_gen23.csv");
const STACK = resolve(ROOT, "scripts/lib/stack.ts");
const SAMPLE = resolve(ROOT, "scripts/lib/sample.ts");
const ARTIFACTS = resolve(ROOT, "test-artifacts");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
];

// Callbacks passed to page.evaluate run in the browser; the repository's tsconfig has no DOM lib.
declare const document: { activeElement: { id?: string } | null; documentElement: { scrollWidth: number } };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

const skip = !existsSync(CHROMIUM)
  ? `Chromium not found at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`
  : !existsSync(DATA)
    ? `real eGRID data not found at ${DATA} (see data/egrid/README.md)`
    : !existsSync(STACK)
      ? `local stack module ${STACK} not found`
      : null;
if (skip) console.warn(`[e2e web] skipped: ${skip}`);

interface Stack {
  webUrl: string;
  apiUrl: string;
  login: { email: string; password: string };
  stop: () => Promise<void>;
}

describe.skipIf(skip !== null)(`analyst page in Chromium${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let persistDir: string;
  const topRequests: string[] = [];
  // Chromium reports each blocked load or inline script/style as a console message "Refused to ...
  // because it violates the following Content Security Policy directive".
  const cspViolations: string[] = [];
  const plants = skip ? [] : plantsFromCsv(DATA);
  const texas = rank(plants, "TX");

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    persistDir = await mkdtemp(join(tmpdir(), "egrid-e2e-web-"));
    const { startStack } = (await import(STACK)) as { startStack: (o: object) => Promise<Stack> };
    // Empty stack: the data goes in through the page's upload form, as an owner would do it.
    stack = await startStack({ persistDir, apiPort: 0, webPort: 0, seed: "none", quiet: true });
    await proxyReady(stack.webUrl);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    // Upper bound for each wait on a loaded machine (other suites run alongside); not a timing check.
    page.setDefaultTimeout(60_000);
    page.on("request", (r) => {
      if (r.url().includes("/api/v1/plants/top")) topRequests.push(r.url());
    });
    // Browser-side trouble goes to a log beside the screenshots, to explain a failure.
    const log = (line: string) => appendFile(join(ARTIFACTS, "web-e2e.log"), `${new Date().toISOString()} ${line}\n`);
    await writeFile(join(ARTIFACTS, "web-e2e.log"), "");
    page.on("pageerror", (e) => void log(`pageerror ${e.message}`));
    page.on("console", (m) => void (m.type() === "error" && log(`console ${m.text()}`)));
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    page.on("requestfailed", (r) => void log(`requestfailed ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
    page.on("response", (r) => void (r.status() >= 500 && log(`${r.status()} ${r.request().method()} ${r.url()}`)));
  });

  // The steps build on each other (signed in, data loaded, Texas chosen): after one fails, the
  // rest are skipped instead of each waiting out its timeouts on a page in the wrong state.
  let broken: string | null = null;
  beforeEach((ctx) => {
    if (broken) ctx.skip(`an earlier step failed: ${broken}`);
  });
  afterEach((ctx) => {
    if (ctx.task.result?.state === "fail") broken ??= ctx.task.name;
  });

  afterAll(async () => {
    if (broken && page) await shot("failure").catch(() => {});
    await browser?.close();
    await stack?.stop();
    if (persistDir) {
      // Keep the servers' logs of a failed run beside the screenshots.
      if (broken) {
        for (const [from, to] of [
          ["api.log", "web-e2e-api.log"],
          ["web.log", "web-e2e-pages.log"],
        ] as const) {
          await copyFile(join(persistDir, "logs", from), join(ARTIFACTS, to)).catch(() => {});
        }
      }
      await rm(persistDir, { recursive: true, force: true });
    }
  });

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `web-${name}.png`), fullPage: true });
  /** Nothing wider than the screen: the page never scrolls sideways (tables turn into cards). */
  const fitsWidth = (width: number) =>
    expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  /**
   * The current view at desktop and phone width (`web-NAME-1280.png`, `web-NAME-390.png`), checking
   * at each that the page does not overflow sideways; leaves the desktop size set.
   */
  const shots = async (name: string) => {
    await fitsWidth(DESKTOP.width);
    await shot(`${name}-1280`);
    await page.setViewportSize(PHONE);
    await fitsWidth(PHONE.width);
    await shot(`${name}-390`);
    await page.setViewportSize(DESKTOP);
  };
  /** The upload form's final message: "... is queued" or the API's reason it failed. */
  const uploadOutcome = async () => {
    const outcome = page.locator(".upload-status [role=status], .upload-status .error");
    await outcome.waitFor();
    return (await outcome.textContent()) ?? "";
  };
  const tableNames = () => page.locator("table.plants tbody th").allTextContents();

  it("refuses a wrong password with the API's message, then signs in", async () => {
    await page.goto(stack.webUrl);
    await expect.poll(() => page.locator("#email").evaluate((el) => el === document.activeElement)).toBe(true);
    await shot("sign-in");
    await page.getByLabel("Email").fill(stack.login.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("#sign-in-error").waitFor();
    expect(await page.locator("#sign-in-error").textContent()).not.toBe("");
    await page.getByLabel("Password").fill(stack.login.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Top power plants by net generation" }).waitFor();
  });

  it("says there is no data yet, in the API's words, before anything is ingested", async () => {
    const empty = page.locator(".results .empty");
    await empty.waitFor();
    expect(await empty.textContent()).toMatch(/no dataset is published: none has been ingested yet/);
    expect(await page.locator(".error-box").count()).toBe(0);
    await shots("no-data");
  });

  it("uploads the real eGRID 2023 file from the ingestions view and shows it loaded", async () => {
    await page.getByRole("link", { name: "Upload an eGRID GEN file" }).click();
    await page.getByRole("heading", { name: "Data ingestions" }).waitFor();
    await page.getByLabel("eGRID GEN sheet as CSV").setInputFiles(DATA);
    await page.getByRole("button", { name: "Upload" }).click();
    expect(await uploadOutcome()).toMatch(/is\s+queued/);
    const row = page.locator("table.ingestion-table tbody tr.ingestion", { hasText: "egrid2023_gen23" });
    await row.locator(".badge.done").waitFor({ timeout: 240_000 });
    const cells = await row.locator("td").allTextContents();
    expect(cells).toContain("26,601"); // rows loaded: every generator row of the file
    expect(cells).toContain("0"); // rows rejected
    expect(cells).toContain("2023");
    // The details of the new upload open directly below its row, not below the whole list.
    const details = row.locator("xpath=following-sibling::tr[1]");
    expect(await details.getAttribute("class")).toContain("details-row");
    await details.getByText("No rows were rejected.").waitFor();
    expect(await row.locator("td.progress").textContent()).not.toMatch(/waiting/);
    await shots("ingestions");
  });

  it("shows Texas's five largest plants in order, in the table and the chart", async () => {
    await page.getByRole("link", { name: "Plants" }).click();
    await page.locator("table.plants").waitFor();
    const option = page.locator("#state option", { hasText: /^Texas \(/ });
    expect(await option.textContent()).toBe(`Texas (${texas.length} plants)`);
    await page.getByLabel("State", { exact: true }).selectOption({ label: `Texas (${texas.length} plants)` });
    await page.getByLabel("Plants to show (N)").fill("5");
    await page.locator("caption", { hasText: "Top 5 plants in Texas, 2023" }).waitFor();

    const expected = texas.slice(0, 5);
    expect(await tableNames()).toEqual(expected.map((p) => p.name));
    const exact = await page
      .locator("table.plants tbody data")
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute("value"))));
    expectMwh(exact, expected);

    const bars = page.locator("svg.bar-chart g.bar-row");
    expect(await bars.count()).toBe(5);
    expectMwh(await bars.evaluateAll((gs) => gs.map((g) => Number(g.getAttribute("data-value")))), expected);
    const widths = await page
      .locator("svg.bar-chart rect.bar")
      .evaluateAll((rs) => rs.map((r) => Number(r.getAttribute("width"))));
    expect(widths).toEqual([...widths].sort((a, b) => b - a));
    expect(new URL(page.url()).searchParams.get("state")).toBe("TX");
    expect(new URL(page.url()).searchParams.get("n")).toBe("5");
    await page.locator("svg.us-map").waitFor();
    await shots("texas-top5");
  });

  it("downloads the current result as CSV with the same rows and exact MWh", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("egrid-2023-TX-top-5.csv");
    const text = await readFile(await download.path(), "utf8");
    const rows = Papa.parse<Record<string, string>>(text.trim(), { header: true }).data;
    const expected = texas.slice(0, 5);
    expect(rows.map((r) => r.name)).toEqual(expected.map((p) => p.name));
    expect(rows.map((r) => r.state)).toEqual(Array(5).fill("TX"));
    expect(rows.map((r) => r.rank)).toEqual(["1", "2", "3", "4", "5"]);
    expectMwh(
      rows.map((r) => Number(r.netGenerationMwh)),
      expected,
    );
  });

  it("opens a plant's generators from its name in the table", async () => {
    const first = texas[0] as ExpectedPlant;
    await page.locator("table.plants tbody th button", { hasText: first.name }).click();
    const details = page.locator("section.plant-details");
    await details.getByRole("heading", { name: `${first.name}, Texas` }).waitFor();
    expect(await details.locator("table.generators tbody tr").count()).toBe(first.generators);
    // Focus moves in an effect after the details render: wait for it rather than read it once.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("plant-heading");
    await shots("plant-details");
    // Details open in a row right below the plant, not after the whole list.
    const nameRow = page.locator("table.plants > tbody > tr", { hasText: first.name }).first();
    expect(await nameRow.locator("xpath=following-sibling::tr[1]").getAttribute("class")).toContain("details-row");
    await details.getByRole("button", { name: "Close" }).click();
    expect(await details.count()).toBe(0);
    const name = page.locator("table.plants tbody th button", { hasText: first.name });
    await expect.poll(() => name.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it("explains a bad N next to the field and sends no request for it", async () => {
    const before = topRequests.length;
    const nBox = page.getByLabel("Plants to show (N)");
    for (const [input, message] of [
      ["0", /at least 1/],
      ["1001", /at most 1000/],
      ["abc", /whole number/],
    ] as const) {
      await nBox.fill(input);
      expect(await page.locator("#n-error").textContent()).toMatch(message);
      expect(await nBox.getAttribute("aria-invalid")).toBe("true");
      expect(new URL(page.url()).searchParams.get("n")).toBe("5");
    }
    await shot("bad-n");
    // A valid N afterwards must be the only request since: requests go out in order, so any
    // request for an invalid N would already be in the list.
    await nBox.fill("7");
    await page.locator("caption", { hasText: "Top 7 plants in Texas" }).waitFor();
    const since = topRequests.slice(before).map((u) => new URL(u).searchParams.get("n"));
    expect(since).toEqual(["7"]);
    expect(await page.locator("#n-error").count()).toBe(0);
  });

  it("selects a state by clicking the map, and Back returns to the previous state", async () => {
    await page.locator('svg.us-map path.state[data-state="CA"]').click();
    await page.locator("caption", { hasText: "Top 7 plants in California, 2023" }).waitFor();
    expect(await page.getByLabel("State", { exact: true }).inputValue()).toBe("CA");
    expect(new URL(page.url()).searchParams.get("state")).toBe("CA");
    expect(await tableNames()).toEqual(
      rank(plants, "CA")
        .slice(0, 7)
        .map((p) => p.name),
    );
    await shots("map-california");

    await page.goBack();
    await page.locator("caption", { hasText: "Top 7 plants in Texas, 2023" }).waitFor();
    expect(await page.getByLabel("State", { exact: true }).inputValue()).toBe("TX");
    await page.goForward();
    await page.locator("caption", { hasText: "Top 7 plants in California, 2023" }).waitFor();
  });

  it("draws pumped storage honestly: Virginia's negative plant ends left of the zero line", async () => {
    await page.getByLabel("State", { exact: true }).selectOption("VA");
    await page.getByLabel("Plants to show (N)").fill("1000");
    await page.locator("caption", { hasText: /Top \d+ plants in Virginia/ }).waitFor();
    // The caption can show before N=1000 is drawn: wait until the chart has every Virginia plant,
    // or the zero line would be read from the chart about to be redrawn.
    const vaPlants = rank(plants, "VA").length;
    await expect.poll(() => page.locator("svg.bar-chart g.bar-row").count(), { timeout: 30_000 }).toBe(vaPlants);
    const bath = page.locator("svg.bar-chart g.bar-row", { hasText: "Bath County" });
    const zero = Number(await page.locator("svg.bar-chart .zero-line").first().getAttribute("x1"));
    const rect = bath.locator("rect");
    expect(await rect.getAttribute("class")).toContain("negative");
    const x = Number(await rect.getAttribute("x"));
    const w = Number(await rect.getAttribute("width"));
    expect(x).toBeLessThan(zero);
    expect(x + w).toBeCloseTo(zero, 3);
    // Plants whose generation is blank in the file are listed as unknown, not 0.
    const unknownVa = rank(plants, "VA").filter((p) => p.netGenerationMwh === null).length;
    expect(await page.locator('svg.bar-chart g.bar-row[data-value="unknown"]').count()).toBe(unknownVa);
  });

  it("fits a phone-width screen: cards, a two-row header, tap for the exact figure", async () => {
    await page.getByLabel("State", { exact: true }).selectOption("TX");
    await page.getByLabel("Plants to show (N)").fill("5");
    await page.locator("caption", { hasText: "Top 5 plants in Texas, 2023" }).waitFor();
    await page.setViewportSize(PHONE);
    await fitsWidth(PHONE.width);
    // Every column of the first card is on screen (nothing hidden behind a sideways scroll).
    const card = page.locator("table.plants tbody tr").first();
    for (const label of ["State", "Net generation", "Share of state", "Generators", "Primary fuel"]) {
      const box = await card.locator(`td[data-label="${label}"]`).boundingBox();
      expect(box, label).not.toBeNull();
      expect((box?.x ?? 0) + (box?.width ?? 0), label).toBeLessThanOrEqual(PHONE.width);
    }
    // Sign out shares the first header row with the brand instead of wrapping onto its own.
    const brand = await page.locator(".brand").boundingBox();
    const signOut = await page.getByRole("button", { name: "Sign out" }).boundingBox();
    expect(
      Math.abs((brand?.y ?? 0) + (brand?.height ?? 0) / 2 - ((signOut?.y ?? 0) + (signOut?.height ?? 0) / 2)),
    ).toBeLessThan(12);
    // Each of an admin's four links, and Sign out, on one line ("API keys" and "Sign out" wrapped).
    for (const link of await page.locator(".top-bar nav a").all()) {
      expect((await link.boundingBox())?.height ?? 0, (await link.textContent()) ?? "").toBeLessThan(30);
    }
    expect(signOut?.height ?? 0).toBeLessThan(50);
    expect(await page.locator(".summary").textContent()).toContain("tap or hover a figure");
    const figure = card.locator("button.figure");
    await figure.click();
    await expect.poll(() => figure.textContent()).toMatch(/^[\d,.-]+ MWh$/);
    await page.locator("svg.us-map").scrollIntoViewIfNeeded();
    await shot("phone-texas");
    await figure.click();
    await page.setViewportSize(DESKTOP);
  });

  it("shows the upload's progress bar, then offers a year selector once a second year is loaded", async () => {
    const sampleDir = await mkdtemp(join(tmpdir(), "egrid-e2e-2022-"));
    const file = join(sampleDir, "egrid2022-sample.csv");
    const { writeSampleGenCsv } = (await import(SAMPLE)) as {
      writeSampleGenCsv: (path: string, o: object) => Promise<{ topPlants: { name: string; state: string }[] }>;
    };
    const facts = await writeSampleGenCsv(file, { year: 2022, seed: 7, rows: 4000, full: true });
    await page.getByRole("link", { name: "Ingestions" }).click();
    await page.getByLabel("eGRID GEN sheet as CSV").setInputFiles(file);
    // Slow the upload down (Chromium's network emulation) so the progress bar can be seen.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 64 * 1024,
    });
    await page.getByRole("button", { name: "Upload" }).click();
    const bar = page.locator("progress#upload-progress");
    await bar.waitFor();
    await expect.poll(async () => Number(await bar.getAttribute("value"))).toBeGreaterThan(0);
    await shot("upload-progress");
    expect(await uploadOutcome()).toMatch(/is\s+queued/);
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await page
      .locator("table.ingestion-table tbody tr.ingestion", { hasText: "egrid2022-sample" })
      .locator(".badge.done")
      .waitFor({ timeout: 240_000 });
    await rm(sampleDir, { recursive: true, force: true });

    await page.getByRole("link", { name: "Plants" }).click();
    const year = page.getByLabel("Year");
    await year.waitFor();
    expect(await year.locator("option").allTextContents()).toEqual(["Latest (2023)", "2023", "2022"]);
    await page.getByLabel("State", { exact: true }).selectOption("");
    await page.getByLabel("Plants to show (N)").fill("10");
    await year.selectOption("2022");
    await page.locator("caption", { hasText: "Top 10 plants in the United States, 2022" }).waitFor();
    expect(new URL(page.url()).searchParams.get("year")).toBe("2022");
    expect((await tableNames())[0]).toBe(facts.topPlants[0]?.name);
    await shots("year-2022");
    await page.goBack();
    await page.locator("caption", { hasText: "Top 10 plants in the United States, 2023" }).waitFor();
    expect((await tableNames())[0]).toBe(rank(plants)[0]?.name);
  });

  it("explains a bad shared link, shows what it shows instead, and corrects the URL", async () => {
    await page.goto(`${stack.webUrl}/?state=ZZ&n=0`);
    const notice = page.locator(".link-notice");
    await notice.waitFor();
    expect(await notice.textContent()).toContain('State "ZZ" is not a U.S. state code; showing all states.');
    expect(await notice.textContent()).toContain('N must be 1-1000, not "0"; showing 10.');
    await page.locator("caption", { hasText: "Top 10 plants in the United States, 2023" }).waitFor();
    expect(new URL(page.url()).search).toBe("");
    expect(await page.locator(".error-box").count()).toBe(0);
    expect(await page.locator("#state option", { hasText: "ZZ" }).count()).toBe(0);
    await shots("bad-link");
  });

  it("answers an unknown path with Page not found and a link home", async () => {
    await page.goto(`${stack.webUrl}/nope`);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    expect(await page.locator("table.plants").count()).toBe(0);
    await shots("not-found");
    await page.getByRole("link", { name: "Go to the plants page" }).click();
    await page.locator("table.plants").waitFor();
    expect(new URL(page.url()).pathname).toBe("/");
  });

  it("holds a suspiciously small upload, and lets the owner withdraw and restore a year", async (ctx) => {
    const owner = await api<{ access_token: string }>(stack.webUrl, "/api/v1/auth/token", undefined, stack.login);
    const probe = await fetch(`${stack.webUrl}/api/v1/datasets`, {
      headers: { authorization: `Bearer ${owner.access_token}` },
    });
    if (probe.status === 404) ctx.skip("this build's API has no /api/v1/datasets (issue #11 item 3 not merged)");
    expect(probe.status).toBe(200);
    const sampleDir = await mkdtemp(join(tmpdir(), "egrid-e2e-held-"));
    const file = join(sampleDir, "egrid2023-small.csv");
    const { writeSampleGenCsv } = (await import(SAMPLE)) as {
      writeSampleGenCsv: (path: string, o: object) => Promise<unknown>;
    };
    // A 2023 file with a fraction of the published file's generators looks like a mistake: held.
    await writeSampleGenCsv(file, { year: 2023, seed: 11, rows: 2000, full: true });
    await page.getByRole("link", { name: "Ingestions" }).click();
    await page.getByLabel("eGRID GEN sheet as CSV").setInputFiles(file);
    await page.getByRole("button", { name: "Upload" }).click();
    expect(await uploadOutcome()).toMatch(/is\s+queued/);
    const row = page.locator("table.ingestion-table tbody tr.ingestion", { hasText: "egrid2023-small" });
    await row.locator(".badge.held").waitFor({ timeout: 240_000 });
    expect(await row.locator("td.progress").textContent()).not.toMatch(/waiting/);
    await rm(sampleDir, { recursive: true, force: true });

    const y2023 = page.locator('section[aria-labelledby="year-2023"]');
    const held = y2023.locator("tr.version.held", { hasText: "egrid2023-small" });
    await held.waitFor();
    expect(await y2023.locator("tr.hold-reason").first().textContent()).toMatch(/\d/);
    expect(await held.getByRole("button", { name: /^Publish / }).count()).toBe(1);
    expect(await y2023.locator(".year-state").textContent()).toContain("egrid2023_gen23");
    await page.locator("#datasets-heading").scrollIntoViewIfNeeded();
    await shots("datasets");

    // Withdraw 2022 (asks first), check the plants page no longer offers it, then restore it.
    const y2022 = page.locator('section[aria-labelledby="year-2022"]');
    await y2022.getByRole("button", { name: "Withdraw 2022" }).click();
    await y2022.getByRole("button", { name: "Yes, withdraw 2022" }).click();
    await y2022.locator(".year-state", { hasText: "withdrawn" }).waitFor();
    await shots("datasets-withdrawn");
    await page.getByRole("link", { name: "Plants" }).click();
    await page.locator("table.plants").waitFor();
    expect(await page.getByLabel("Year").count()).toBe(0); // one year left: no selector
    await page.getByRole("link", { name: "Ingestions" }).click();
    await y2022.getByRole("button", { name: /^Restore / }).click();
    await y2022.locator(".year-state", { hasText: "published" }).waitFor();
    await page.getByRole("link", { name: "Plants" }).click();
    await page.getByLabel("Year").waitFor();
  });

  it("sends the page's security headers, and every view so far ran under its CSP", async () => {
    const response = await page.goto(`${stack.webUrl}/`);
    const headers = response?.headers() ?? {};
    // wrangler pages dev applies web/dist/_headers (copied there from web/public by the build).
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"]).toContain("script-src 'self'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    await page.locator("table.plants").waitFor();
    expect(cspViolations).toEqual([]);
  });

  it("lets a user create an API key (secret shown once), use it, and revoke it", async () => {
    await page.getByRole("link", { name: "API keys" }).click();
    await page.getByRole("heading", { name: "API keys" }).waitFor();
    await page.getByLabel("Name").fill("e2e export");
    await page.getByRole("button", { name: "Create key" }).click();
    const secret = await page.getByLabel("New API key").inputValue();
    expect(secret).toMatch(/^egk_/);
    expect(await page.locator(".new-secret").textContent()).toContain("you will not see it again");
    const row = page.locator("tr.api-key", { hasText: "e2e export" });
    await row.waitFor();
    await shots("keys-created");
    // The key works against the API, as the page said.
    const years = await fetch(`${stack.webUrl}/api/v1/years`, { headers: { authorization: `Bearer ${secret}` } });
    expect(years.status).toBe(200);
    await page.getByRole("button", { name: "Done, I have stored it" }).click();
    expect(await page.content()).not.toContain(secret);

    await row.getByRole("button", { name: "Revoke" }).click();
    await row.getByRole("button", { name: "Yes, revoke" }).click();
    await row.locator(".key-state.revoked").waitFor();
    await shots("keys");
    const after = await fetch(`${stack.webUrl}/api/v1/years`, { headers: { authorization: `Bearer ${secret}` } });
    expect(after.status).toBe(401);
  });

  it("shows an admin the audit trail, filtered by action", async () => {
    await page.getByRole("link", { name: "Audit" }).click();
    await page.getByRole("heading", { name: "Audit trail" }).waitFor();
    await page.locator("tr.audit-entry").first().waitFor();
    await page.getByLabel("Action").selectOption("key.revoke");
    await page.getByRole("button", { name: "Show" }).click();
    const entries = page.locator("tr.audit-entry");
    await entries.first().locator("td", { hasText: "key.revoke" }).waitFor();
    expect(new Set(await entries.locator('[data-label="Action"]').allTextContents())).toEqual(new Set(["key.revoke"]));
    await page.getByLabel("Action").selectOption("");
    await page.getByRole("button", { name: "Show" }).click();
    await entries.locator("td", { hasText: "auth.login" }).first().waitFor();
    await shots("audit");
    expect(cspViolations).toEqual([]);
  });

  it("signs out, forgets the token, and sends an expired session back to sign-in with a message", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.reload();
    await page.getByRole("button", { name: "Sign in" }).waitFor();

    // A token the API rejects (401) while the page still believes it valid: back to sign-in.
    await page.evaluate(() =>
      sessionStorage.setItem(
        "egrid-edge.session",
        JSON.stringify({ token: "a.b.c", email: "x@example.com", role: "analyst", expiresAt: Date.now() + 3_600_000 }),
      ),
    );
    await page.reload();
    await page.getByText("Your session expired, sign in again.").waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await shot("session-expired");
  });
  it("shows an analyst the plants but not the owner views", async () => {
    const admin = await api<{ access_token: string }>(stack.webUrl, "/api/v1/auth/token", undefined, stack.login);
    const analyst = { email: "analyst@e2e.test", password: "analyst-password-1234" };
    await api(stack.webUrl, "/api/v1/users", admin.access_token, { ...analyst, role: "analyst" });
    await page.getByLabel("Email").fill(analyst.email);
    await page.getByLabel("Password").fill(analyst.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("table.plants").waitFor();
    expect(await page.locator(".who").textContent()).toContain("(analyst)");
    expect(await page.getByRole("link", { name: "Ingestions" }).count()).toBe(0);
    await page.goto(`${stack.webUrl}/ingestions`);
    await page.locator("table.plants").waitFor();
    expect(await page.getByRole("heading", { name: "Data ingestions" }).count()).toBe(0);
  });
});
