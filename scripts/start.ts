// `npm start`: the whole product locally (see scripts/lib/stack.ts), until Ctrl-C or SIGTERM.
// Env API_PORT / WEB_PORT / HOST do what the flags do (flags win); HOST=0.0.0.0 in a container.
import { isIP } from "node:net";
import { resolve } from "node:path";
import { fail, parseCommandLine } from "./lib/cli.ts";
import { describeSeeded, displayPath } from "./lib/seed.ts";
import { DEFAULT_PERSIST_DIR, type Stack, startStack } from "./lib/stack.ts";

const usage = `usage: npm start -- [--api-port N] [--web-port N] [--host IP] [--no-web] [--seed real|sample|none|file.csv] [--persist-to DIR] [--verbose]
  --seed real     (default) EPA's eGRID 2021-2023 files in data/egrid/, loaded once per state directory
  --seed sample   a generated file of invented plants ("Synthetic …", data year 2023) instead
  --seed none     load nothing; --seed FILE loads that GEN CSV
  --persist-to    local state (D1, R2, KV, queues; default .wrangler/state); e.g. .wrangler/synthetic
                  keeps synthetic data apart from the real files
  env API_PORT, WEB_PORT, HOST do what the flags do (flags win)`;

const values = parseCommandLine("start", usage, {
  "api-port": { type: "string", default: process.env.API_PORT ?? "8787" },
  "web-port": { type: "string", default: process.env.WEB_PORT ?? "8788" },
  // HOST only when it is an IP address (zsh users may have HOST=<machine name>).
  host: { type: "string", default: isIP(process.env.HOST ?? "") ? (process.env.HOST as string) : "127.0.0.1" },
  "no-web": { type: "boolean", default: false },
  seed: { type: "string", default: "real" },
  "persist-to": { type: "string", default: DEFAULT_PERSIST_DIR },
  verbose: { type: "boolean", short: "v", default: false },
});
const port = (name: string) => {
  const text = values[name as "api-port" | "web-port"];
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    fail("start", `--${name} must be a port number (1-65535), got '${text}'`, usage);
  return n;
};
if (!isIP(values.host))
  fail("start", `--host must be an IP address such as 127.0.0.1 or 0.0.0.0, got '${values.host}'`);

let stack: Stack | null = null;
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n[stack] ${signal}: stopping…`);
  // During startup there is no stack yet; exiting runs its exit hook, which kills the children.
  await stack?.stop();
  console.log("[stack] stopped.");
  process.exit(signal === "SIGINT" ? 130 : 143);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => shutdown(signal));
// If whatever started us dies without a signal reaching us (SIGKILL, a shell that swallows
// SIGTERM), stop too rather than leave wrangler and workerd running.
const parentPid = process.ppid;
setInterval(() => process.ppid !== parentPid && shutdown("SIGTERM (parent exited)"), 500).unref();

const started = performance.now();
try {
  stack = await startStack({
    persistDir: values["persist-to"],
    apiPort: port("api-port"),
    webPort: port("web-port"),
    host: values.host,
    web: !values["no-web"],
    // A seed file is named relative to where npm was run (INIT_CWD), not the package root.
    seed: ["real", "sample", "none"].includes(values.seed)
      ? values.seed
      : resolve(process.env.INIT_CWD ?? ".", values.seed),
    quiet: !values.verbose,
    onSeedError: "warn",
    log: (message) => console.log(`[stack] ${message}`),
  });
} catch (error) {
  console.error(`[stack] could not start: ${(error as Error).message}`);
  process.exit(1);
}
if (stopping) await new Promise(() => {}); // a signal arrived while starting; shutdown() exits

const logs = displayPath(`${stack.persistDir}/logs`);
console.log(`
egrid-edge is running (ready in ${((performance.now() - started) / 1000).toFixed(1)} s):
  API    ${stack.apiUrl}
  Web    ${stack.webUrl ?? "(not started: --no-web)"}
  Docs   ${stack.apiUrl}/docs
  Login  ${stack.login.email} / ${stack.login.password}   (from ${displayPath(stack.devVarsPath)})
  Data   ${describeSeeded(stack.seeded, values.seed)}

Upload a GEN file: npm run upload -- data/egrid/egrid2023_gen23.csv --wait
Logs: ${logs}/api.log and ${logs}/web.log (npm start -- --verbose to see them here).
Stop: Ctrl-C (or SIGTERM).`);
