#!/usr/bin/env node
// Entry point of every npm script. Runs on any Node >= 18 with no dependencies, so that a
// fresh clone needs no manual step: it installs node_modules when they are missing or stale,
// provides a Node >= 22.18 runtime when the system's is older (wrangler needs 22.12; from 22.18
// Node strips TypeScript types, so the scripts are .ts run as they are), then runs
// scripts/<command>.ts under that runtime with the runtime first on PATH. `exec <cmd> [args…]`
// runs any command that way instead, e.g. `node scripts/bootstrap.mjs exec wrangler --version`.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const log = (message) => process.stderr.write(`[egrid-edge] ${message}\n`);
const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);

function run(command, args) {
  const result = spawnSync(command, args, { stdio: "inherit", cwd: root });
  if (result.status === 0) return;
  log(`'${command} ${args.join(" ")}' failed (exit ${result.status ?? result.signal}).`);
  process.exit(result.status || 1);
}

const [command = "start", ...rest] = process.argv.slice(2);
// Commands are scripts/<command>.ts; `bench-<name>` is otherwise the benchmark bench/<name>.mjs.
const script = [`scripts/${command}.ts`, command.startsWith("bench-") && `bench/${command.slice(6)}.mjs`]
  .filter(Boolean)
  .map((path) => join(root, path))
  .find(existsSync);
if (command === "exec" ? rest.length === 0 : !script) {
  log(
    command === "exec"
      ? "usage: node scripts/bootstrap.mjs exec <command> [args…]"
      : `unknown command '${command}': expected a file scripts/${command}.ts`,
  );
  process.exit(2);
}

const lock = join(root, "package-lock.json");
if (
  mtime(join(root, "node_modules", ".package-lock.json")) < Math.max(mtime(lock), mtime(join(root, "package.json")))
) {
  // `npm install`, not `npm ci`: with omit-lockfile-registry-resolved (set on these machines)
  // npm 11 leaves other platforms' optional binaries out of the lock and `npm ci` then refuses.
  // Versions are pinned exactly in package.json, so the result is the same. --no-save: installing
  // never rewrites package-lock.json, so `npm start` and `npm test` leave `git status` clean.
  log("installing dependencies (npm install)…");
  run("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error"]);
}

// Registry package `node-<platform>-<arch>` ships the official Node binary (bin/node).
const NODE_PACKAGE_VERSION = "22.23.3";
let nodeDir = dirname(process.execPath);
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  const pkg = `node-${process.platform === "win32" ? "win" : process.platform}-${process.arch}`;
  const prefix = join(root, ".tools", "node");
  const installed = join(prefix, "installed.txt");
  const want = `${pkg}@${NODE_PACKAGE_VERSION}`;
  if (!existsSync(installed) || readFileSync(installed, "utf8") !== want) {
    log(`Node ${process.versions.node} is older than 22.18 (TypeScript scripts, wrangler);`);
    log(`installing ${want} from the npm registry into .tools/node…`);
    mkdirSync(prefix, { recursive: true });
    writeFileSync(join(prefix, "package.json"), '{ "private": true }\n');
    run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", prefix, want]);
    writeFileSync(installed, want);
  }
  nodeDir = join(prefix, "node_modules", pkg, "bin");
}

const env = {
  ...process.env,
  PATH: [nodeDir, join(root, "node_modules", ".bin"), process.env.PATH].join(delimiter),
  EGRID_NODE: join(nodeDir, process.platform === "win32" ? "node.exe" : "node"),
};
const [file, ...args] = command === "exec" ? rest : [env.EGRID_NODE, script, ...rest];
const shell = command === "exec" && process.platform === "win32";
const child = spawn(file, args, { stdio: "inherit", cwd: root, env, shell });
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
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
