// Every bench command answers --help with what it measures, its options and environment
// variables, and exits 0 without running anything: no stack, no temporary directory, no figures.
// Before, `npm run bench:api -- --help` started a 1,000-connection run.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "egrid-bench-cli-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Runs <script> (a path from the root) with `args`; its own TMPDIR shows whether it began a run. Killed after 30 s. */
async function bench(script: string, args: string[], env: Record<string, string> = {}) {
  const ownTmp = await mkdtemp(join(tmp, "run-"));
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, ...args], {
      cwd: root,
      env: { ...process.env, TMPDIR: ownTmp, ...env },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr, tmpEntries: await readdir(ownTmp) };
  } catch (error) {
    const e = error as { code: number | null; signal: string | null; stdout: string; stderr: string };
    return { code: e.code ?? e.signal, stdout: e.stdout, stderr: e.stderr, tmpEntries: await readdir(ownTmp) };
  }
}

const commands = [
  {
    script: "bench/api.mjs",
    name: "bench:api",
    mentions: ["BENCH_CONNECTIONS", "BENCH_SECONDS", "BENCH_USERS"],
  },
  { script: "bench/ingest.mjs", name: "bench:ingest", mentions: ["--mb", "--runs", "--skip-real", "--keep"] },
  {
    script: "bench/load.mjs",
    name: "bench:load",
    mentions: ["LOAD_SECONDS", "LOAD_CONNECTIONS", "LOAD_USERS", "LOAD_PLANTS", "LOAD_TIMEOUT_S", "LOAD_B_AT"],
  },
];

describe.each(commands)("npm run $name", { timeout: 60_000 }, ({ script, name, mentions }) => {
  it("--help says what it measures, its options and environment, and runs nothing", async () => {
    for (const flag of ["--help", "-h"]) {
      const result = await bench(script, [flag]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`usage: npm run ${name}`);
      expect(result.stdout).toMatch(/Measures /);
      for (const option of mentions) expect(result.stdout).toContain(option);
      expect(result.stderr).toBe("");
      expect(result.tmpEntries).toEqual([]);
    }
  });

  it("refuses an unknown option with exit 2 and the usage, running nothing", async () => {
    const result = await bench(script, ["--connections", "5"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${name}: Unknown option '--connections'`);
    expect(result.stderr).toContain(`usage: npm run ${name}`);
    expect(result.tmpEntries).toEqual([]);
  });
});

describe("bench settings", { timeout: 60_000 }, () => {
  it("refuse a value that is not a positive number, naming it", async () => {
    const api = await bench("bench/api.mjs", [], { BENCH_CONNECTIONS: "1,lots" });
    expect(api.code).toBe(2);
    expect(api.stderr).toContain("bench:api: each of BENCH_CONNECTIONS must be a number greater than 0, got 'lots'");
    const ingest = await bench("bench/ingest.mjs", ["--mb", "0"]);
    expect(ingest.code).toBe(2);
    expect(ingest.stderr).toContain("bench:ingest: --mb must be a number greater than 0, got '0'");
    const load = await bench("bench/load.mjs", [], { LOAD_SECONDS: "1m" });
    expect(load.code).toBe(2);
    expect(load.stderr).toContain("bench:load: LOAD_SECONDS must be a number greater than 0, got '1m'");
    expect([api, ingest, load].flatMap((r) => r.tmpEntries)).toEqual([]);
  });
});
