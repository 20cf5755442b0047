// The integration of everything: `npm start`'s stack comes up from nothing, loads the generated
// (synthetic) sample through R2 -> queue -> D1 (`npm start -- --seed sample`; the real files are
// first-start.test.ts's), serves it through the API and the page, takes an upload,
// and stops without leaving a process behind. Takes about a minute.
import { execFile } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localD1Query } from "../../scripts/lib/local-ingest.ts";
import { type SampleFacts, writeSampleGenCsv } from "../../scripts/lib/sample.ts";
import { type Stack, startStack } from "../../scripts/lib/stack.ts";
import { processesIn, stackGroups } from "./support/processes";

const root = resolve(import.meta.dirname, "../..");
const userDevVars = join(root, ".dev.vars");
const userDevVarsBefore = existsSync(userDevVars) ? statSync(userDevVars).mtimeMs : null;
let dir: string;
let stack: Stack;
let facts: SampleFacts;

/** `npm run upload -- ...args` against this stack; exit code and output, failing or not. */
async function upload(args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["scripts/upload.ts", ...args, "--persist-to", join(dir, "state")],
      { cwd: root },
    );
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** The first row of `sql` on this stack's local D1. */
async function d1(sql: string) {
  return (await localD1Query(join(dir, "state"), sql))[0];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "egrid-stack-"));
  stack = await startStack({ persistDir: join(dir, "state"), apiPort: 0, webPort: 0, seed: "sample", quiet: true });
  // The stack seeds `writeSampleGenCsv(year 2023, seed 1)`; the same call tells what it holds.
  facts = await writeSampleGenCsv(join(dir, "expected.csv"), { year: 2023, seed: 1 });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

// Whole stacks on a busy two-core CI machine can be slow: generous limits, no timing asserted.
describe("startStack", { timeout: 300_000 }, () => {
  it("serves the API, its docs, and the page, which reaches the API through its service binding", async () => {
    expect((await fetch(`${stack.apiUrl}/health`)).status).toBe(200);
    expect((await fetch(`${stack.apiUrl}/docs`)).status).toBe(200);
    expect(stack.webUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(`${stack.webUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const proxied = await fetch(`${stack.webUrl}/health`);
    expect(proxied.status).toBe(200);
    expect(await proxied.json()).toMatchObject({ status: "ok" });
  });

  it("keeps its secrets in its own directory and never touches the user's .dev.vars", () => {
    expect(stack.devVarsPath).toBe(join(dir, "state", ".dev.vars"));
    expect(existsSync(userDevVars) ? statSync(userDevVars).mtimeMs : null).toBe(userDevVarsBefore);
  });

  it("loaded the generated sample through the pipeline, exactly", async () => {
    const loaded = await d1(
      `SELECT count(*) AS generators, count(DISTINCT g.plant_key) AS plants,
              sum(g.net_generation_mwh IS NULL) AS unknown
       FROM generators g JOIN datasets d ON d.ingestion_id = g.ingestion_id WHERE d.data_year = 2023`,
    );
    expect(loaded).toEqual({ generators: facts.rows, plants: facts.plants, unknown: facts.unknownGenerators });

    const login = await fetch(`${stack.apiUrl}/api/v1/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(stack.login),
    });
    expect(login.status).toBe(200);
    const { access_token } = (await login.json()) as { access_token: string };
    const top = await fetch(`${stack.apiUrl}/api/v1/plants/top?n=5&year=2023`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(top.status).toBe(200);
    const { data, meta } = (await top.json()) as {
      data: { name: string; state: string; netGenerationMwh: number }[];
      meta: { source: { key: string } };
    };
    expect(data.map((p) => ({ state: p.state, name: p.name, mwh: p.netGenerationMwh }))).toEqual(
      facts.topPlants.map((p) => ({ state: p.state, name: p.name, mwh: p.netGenerationMwh })),
    );
    // Named as what it is wherever it shows: plant names, the object key, the stack's report.
    expect(data.filter((p) => !p.name.startsWith("Synthetic "))).toEqual([]);
    expect(meta.source.key).toBe("synthetic/egrid-synthetic-2023.csv");
    expect(stack.seeded.map((r) => [r.year, r.status, r.synthetic])).toEqual([[2023, "done", true]]);
    expect(await d1("SELECT count(*) AS real FROM plants WHERE name NOT LIKE 'Synthetic %'")).toEqual({ real: 0 });
  });

  it("takes `npm run upload -- file --wait` and prints the ingestion summary", async () => {
    const file = join(dir, "gen22.csv");
    const year2022 = await writeSampleGenCsv(file, { rows: 2000, year: 2022, seed: 5 });
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["scripts/upload.ts", file, "--wait", "--persist-to", join(dir, "state")],
      { cwd: root },
    );
    expect(stdout).toMatch(/ingestion [0-9a-f]+: done after/);
    expect(stdout).toContain(
      `data year 2022: 2,000 rows read, 2,000 loaded, 0 rejected, ${year2022.plants.toLocaleString("en-US")} plants`,
    );
    expect(await d1("SELECT count(*) AS years FROM datasets")).toEqual({ years: 2 });

    // The very same file again is the same ingestion: a new upload of it publishes it again from
    // the rows it has (it already is published here), nothing loaded twice.
    const again = await upload([file, "--wait"]);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/: loaded earlier; published again \(its rows were kept, nothing reloaded\)/);
    expect(
      await d1("SELECT count(*) AS n FROM generators g JOIN datasets d USING (ingestion_id) WHERE d.data_year = 2022"),
    ).toEqual({ n: 2000 });
  });

  it("exits 1 with the pipeline's reason when a file loads nothing", async () => {
    const file = join(dir, "not-gen.csv");
    await writeFile(file, "name,value\r\na,1\r\n");
    const result = await upload([file, "--wait"]);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/ingestion [0-9a-f]+: failed after/);
    expect(result.out).toMatch(/GEN/);
  });

  it("stop() ends every process it started", async () => {
    const groups = stackGroups(join(dir, "state"));
    expect(processesIn(groups).filter((args) => args.includes("workerd")).length).toBeGreaterThan(0);
    await stack.stop();
    expect(processesIn(groups)).toEqual([]);
    await expect(fetch(`${stack.apiUrl}/health`)).rejects.toThrow();
  });
});
