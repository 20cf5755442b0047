#!/usr/bin/env node
// Entry point of every npm script. Runs on any Node >= 18 with no dependencies, so that a
// fresh clone needs no manual step: it installs node_modules when they are missing or stale,
// provides a Node >= 22.18 runtime when the system's is older (wrangler needs 22.12; from 22.18
// Node strips TypeScript types, so the scripts are .ts run as they are), then runs
// scripts/<command>.ts under that runtime with the runtime first on PATH. `exec <cmd> [args…]`
// runs any command that way instead, e.g. `node scripts/bootstrap.mjs exec wrangler --version`.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// Registry package `node-<platform>-<arch>` ships the official Node binary (bin/node).
const NODE_PACKAGE_VERSION = "22.23.3";
const MIN_NODE = [22, 18];

function log(message) {
  process.stderr.write(`[egrid-edge] ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", cwd: root, ...options });
  if (result.status !== 0) {
    log(`'${command} ${args.join(" ")}' failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status || 1);
  }
}

function mtime(path) {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

function ensureDependencies() {
  const marker = join(root, "node_modules", ".package-lock.json");
  const lock = join(root, "package-lock.json");
  if (mtime(marker) >= Math.max(mtime(lock), mtime(join(root, "package.json")))) return;
  // `npm install`, not `npm ci`: with omit-lockfile-registry-resolved (set on these machines)
  // npm 11 leaves other platforms' optional binaries out of the lock and `npm ci` then refuses.
  // Versions are pinned exactly in package.json, so the result is the same.
  log("installing dependencies (npm install)…");
  // --no-save: installing never rewrites package-lock.json, so `npm start` and `npm test` leave a
  // fresh clone's `git status` clean (npm 11 otherwise adds other platforms' optional entries).
  run("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error"]);
}

function satisfies(version) {
  const [major, minor] = version.split(".").map(Number);
  return major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
}

/** Returns the directory holding a suitable `node` binary. */
function ensureNodeRuntime() {
  if (satisfies(process.versions.node)) return dirname(process.execPath);
  const pkg = `node-${process.platform === "win32" ? "win" : process.platform}-${process.arch}`;
  const prefix = join(root, ".tools", "node");
  const binDir = join(prefix, "node_modules", pkg, "bin");
  const installed = join(prefix, "installed.txt");
  const want = `${pkg}@${NODE_PACKAGE_VERSION}`;
  if (!existsSync(installed) || readFileSync(installed, "utf8") !== want) {
    log(`Node ${process.versions.node} is older than ${MIN_NODE.join(".")} (TypeScript scripts, wrangler);`);
    log(`installing ${want} from the npm registry into .tools/node…`);
    mkdirSync(prefix, { recursive: true });
    writeFileSync(join(prefix, "package.json"), '{ "private": true }\n');
    run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", prefix, want]);
    writeFileSync(installed, want);
  }
  return binDir;
}

const [command = "start", ...rest] = process.argv.slice(2);
// Commands are scripts/<command>.ts; `bench-<name>` is otherwise the benchmark bench/<name>.mjs.
const candidates = [`scripts/${command}.ts`];
if (command.startsWith("bench-")) candidates.push(`bench/${command.slice("bench-".length)}.mjs`);
const script = candidates.map((path) => join(root, path)).find(existsSync);
if (command !== "exec" && !script) {
  log(`unknown command '${command}': expected a file scripts/${command}.ts`);
  process.exit(2);
}
if (command === "exec" && rest.length === 0) {
  log("usage: node scripts/bootstrap.mjs exec <command> [args…]");
  process.exit(2);
}
ensureDependencies();
const nodeDir = ensureNodeRuntime();
const pathSep = process.platform === "win32" ? ";" : ":";
const env = {
  ...process.env,
  PATH: [nodeDir, join(root, "node_modules", ".bin"), process.env.PATH].join(pathSep),
  EGRID_NODE: join(nodeDir, process.platform === "win32" ? "node.exe" : "node"),
};
const [file, ...args] = command === "exec" ? rest : [env.EGRID_NODE, script, ...rest];
const child = spawn(file, args, {
  stdio: "inherit",
  cwd: root,
  env,
  shell: command === "exec" && process.platform === "win32",
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal));
}
// npm runs scripts through `sh -c`, and sh dies of the SIGTERM npm forwards without passing it
// on. Losing our parent therefore means "stop": pass SIGTERM on, so nothing outlives `npm start`.
const parentPid = process.ppid;
const watchdog = setInterval(() => {
  if (process.ppid === parentPid) return;
  clearInterval(watchdog);
  child.kill("SIGTERM");
}, 500);
watchdog.unref();
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
