// `npm start` as npm runs it: `sh -c "node scripts/bootstrap.mjs start"`, no terminal, CI=true.
// A SIGTERM sent to that shell (what npm forwards) must stop every process of the stack. A seed
// file that does not load is reported (file, ingestion, the pipeline's reason) and start carries on.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/processes.ts";
import { processesIn, stackGroups } from "./support/processes";

const root = resolve(import.meta.dirname, "../..");
let dir = "";
let shell: ChildProcess | undefined;

afterAll(async () => {
  if (shell?.exitCode === null) shell.kill("SIGKILL");
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function until<T>(what: string, check: () => T | Promise<T>, limitMs = 120_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("npm start", { timeout: 300_000 }, () => {
  it("prints the URLs, the login and a failed seed file without a terminal; SIGTERM to npm's shell stops everything", async () => {
    dir = await mkdtemp(join(tmpdir(), "egrid-start-"));
    const state = join(dir, "state");
    const port = await freePort();
    // A plant list, not a GEN sheet: the pipeline refuses it.
    const notGen = join(dir, "plants-2021.csv");
    await writeFile(notGen, "name,state\r\nPalo Verde,AZ\r\n");
    const command = `"${process.execPath}" scripts/bootstrap.mjs start --no-web --seed ${notGen} --api-port ${port} --persist-to ${state}`;
    // Detached: the shell leads its own process group, as npm's does, apart from vitest's.
    shell = spawn("sh", ["-c", command], {
      detached: true,
      cwd: root,
      env: { ...process.env, CI: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    shell.stdout?.on("data", (d) => {
      output += d;
    });
    shell.stderr?.on("data", (d) => {
      output += d;
    });

    await until("the ready message", () => output.includes("egrid-edge is running") || shell?.exitCode !== null);
    expect(output).toContain(`API    http://127.0.0.1:${port}`);
    expect(output).toContain(`Docs   http://127.0.0.1:${port}/docs`);
    expect(output).toMatch(/Login {2}admin@example\.local \/ \S{20,}/);
    expect(output).toContain("Web    (not started: --no-web)");
    expect(output).toMatch(
      new RegExp(
        `\\[stack\\] ${notGen} FAILED to load \\(ingestion [0-9a-f]{24} failed\\): Not an eGRID generator \\(GEN\\) sheet`,
      ),
    );
    expect(output).toContain(`Data   ${notGen}: FAILED (why: the [stack] lines above)`);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    // Groups of the shell's chain and of each wrangler (workerd runs in its wrangler's group).
    const groups = stackGroups(state);
    expect(processesIn(groups).filter((args) => args.includes("workerd")).length).toBeGreaterThan(0);

    shell.kill("SIGTERM");
    await until("the stack's processes to exit", () => processesIn(groups).length === 0, 60_000);
    expect(processesIn(groups)).toEqual([]);
    await until("the stop message", () => output.includes("[stack] stopped."), 10_000);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });
});
