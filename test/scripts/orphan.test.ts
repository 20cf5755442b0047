// A stack must not outlive the process that started it, even when that process is SIGKILLed
// (no exit hook runs then): each service's supervisor sees its parent go and ends its group.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { processesIn, stackGroups } from "./support/processes";

const root = resolve(import.meta.dirname, "../..");
let dir = "";
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function until(what: string, check: () => boolean, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("startStack's owner killed with SIGKILL", { timeout: 300_000 }, () => {
  it("leaves no wrangler or workerd process behind", async () => {
    dir = await mkdtemp(join(tmpdir(), "egrid-orphan-"));
    const state = join(dir, "state");
    const owner = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const { startStack } = await import(${JSON.stringify(join(root, "scripts/lib/stack.ts"))});
         const s = await startStack({ persistDir: ${JSON.stringify(state)}, apiPort: 0, web: false, seed: "none", quiet: true });
         console.log("READY " + s.apiUrl);
         setInterval(() => {}, 1000);`,
      ],
      // Its own group: the owner's command line names the state directory too, and the test
      // must not count vitest's group as the stack's.
      { cwd: root, stdio: ["ignore", "pipe", "inherit"], detached: true },
    );
    let output = "";
    owner.stdout?.on("data", (d) => {
      output += d;
    });
    await until("the stack to start", () => output.includes("READY") || owner.exitCode !== null, 120_000);
    const apiUrl = /READY (\S+)/.exec(output)?.[1] as string;
    expect((await fetch(`${apiUrl}/health`)).status).toBe(200);
    const groups = stackGroups(state);
    expect(processesIn(groups).filter((args) => args.includes("workerd")).length).toBeGreaterThan(0);

    owner.kill("SIGKILL");
    await until("the stack's processes to exit", () => processesIn(groups).length === 0, 60_000);
    expect(processesIn(groups)).toEqual([]);
    await expect(fetch(`${apiUrl}/health`)).rejects.toThrow();
  });
});
