// Child processes of the local stack. Each long-running child leads its own process group, so
// stopping it also stops what it started (wrangler -> workerd), and nothing outlives the stack.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createRequire } from "node:module";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Unstable_RawConfig } from "wrangler";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const WRANGLER = join(ROOT, "node_modules", ".bin", "wrangler");
const SUPERVISE = fileURLToPath(new URL("./supervise.ts", import.meta.url));

/** A wrangler config as wrangler itself reads it; wrangler is loaded on first use (it takes a second). */
export function readWranglerConfig(path = join(ROOT, "wrangler.toml")): Unstable_RawConfig {
  const wrangler: typeof import("wrangler") = createRequire(import.meta.url)("wrangler");
  return wrangler.experimental_readRawConfig({ config: path }).rawConfig;
}

/** Environment for wrangler children: no telemetry prompts or reports, never interactive. */
export function wranglerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_SEND_ERROR_REPORTS: "false", ...extra };
}

/** Runs a command to completion, capturing its output; rejects with the output's tail, to show why. */
export async function run(
  command: string,
  args: string[],
  { cwd = ROOT, env = wranglerEnv(), input }: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<{ stdout: string; stderr: string }> {
  const running = promisify(execFile)(command, args, { cwd, env, maxBuffer: 256 * 1024 * 1024 });
  running.child.stdin?.end(input);
  return running.catch((e: Error & { stdout: string; stderr: string; code?: number; signal?: string }) => {
    const tail = `${e.stdout ?? ""}\n${e.stderr ?? e.message}`.trim().split("\n").slice(-15).join("\n");
    const error = new Error(`'${[command, ...args].join(" ")}' failed (${e.signal ?? `exit ${e.code}`}):\n${tail}`);
    throw Object.assign(error, { stdout: e.stdout, stderr: e.stderr, code: e.code });
  });
}

export type Service = ReturnType<typeof startService>;

/**
 * Starts a long-running child in its own process group. Its output goes to `logFile` and, unless
 * quiet, to our stdout prefixed with `[name]`; the last lines are kept for error messages.
 */
export function startService(
  name: string,
  command: string,
  args: string[],
  {
    cwd = ROOT,
    env = wranglerEnv(),
    logFile,
    quiet = false,
  }: Partial<Record<"cwd" | "logFile", string>> & {
    env?: NodeJS.ProcessEnv;
    quiet?: boolean;
  },
) {
  // Through supervise.ts: if this process dies without stopping the service, the group still ends.
  const child: ChildProcess = spawn(process.execPath, [SUPERVISE, command, ...args], {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const log = logFile ? createWriteStream(logFile, { flags: "a" }) : null;
  const recent: string[] = [];
  let partial = "";
  const onData = (chunk: Buffer) => {
    log?.write(chunk);
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      recent.push(line);
      if (recent.length > 40) recent.shift();
      if (!quiet && line.trim()) process.stdout.write(`[${name}] ${line}\n`);
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("exit", (code, signal) => {
      log?.end();
      resolve({ code, signal });
    });
  });
  return { name, child, exited, recentOutput: () => [...recent, partial].join("\n").trim() };
}

/** Sends `signal` to the child's whole process group; ignores groups already gone. */
export function signalGroup(service: Service, signal: NodeJS.Signals | 0) {
  // No pid: the spawn failed. (Never kill(-0): that is our own group.)
  if (!service.child.pid) return false;
  try {
    process.kill(-service.child.pid, signal);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Stops a service: SIGTERM to its process group, SIGKILL after `graceMs`, and resolves once the
 * leader has exited and no process of the group is left.
 */
export async function stopService(service: Service, { graceMs = 5000 } = {}) {
  if (!service.child.pid) return;
  signalGroup(service, "SIGTERM");
  const killer = setTimeout(() => signalGroup(service, "SIGKILL"), graceMs);
  await service.exited;
  // workerd grandchildren may outlive the wrangler leader by a moment.
  for (let waited = 0; signalGroup(service, 0); waited += 50) {
    if (waited === graceMs) signalGroup(service, "SIGKILL");
    await new Promise((r) => setTimeout(r, 50));
  }
  clearTimeout(killer);
}

/** Binds host:port (0: any free one) and lets it go: the port bound, or 0 when it is taken. */
function probe(port: number, host: string): Promise<number> {
  const server = createServer().unref();
  return new Promise((resolve) => {
    server.once("error", () => resolve(0));
    server.listen(port, host, () => {
      const bound = (server.address() as AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}

/** Resolves true when nothing listens on host:port (so our server can bind it). */
export const portIsFree = async (port: number, host = "127.0.0.1") => (await probe(port, host)) === port;

/** A port the OS says is free right now (for tests and benchmarks running their own stack). */
export const freePort = (host = "127.0.0.1") => probe(0, host);
