// The whole product on this machine: the API Worker (HTTP + queue consumer + cron) and the Pages
// site, on Miniflare with state persisted in one directory, seeded through the real pipeline
// (by default the real eGRID files in data/egrid/, see seed.ts).
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { ensureDevVars } from "./dev-vars.ts";
import { stackInfoPath } from "./local-ingest.ts";
import {
  freePort,
  portIsFree,
  ROOT,
  run,
  type Service,
  signalGroup,
  startService,
  stopService,
  WRANGLER,
  wranglerEnv,
} from "./processes.ts";
import { type SeedResult, seedStack } from "./seed.ts";

export const DEFAULT_PERSIST_DIR = ".wrangler/state";

export type Stack = Awaited<ReturnType<typeof startStack>>;
type Log = (message: string) => void;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Newest modification time under `dir`, skipping build output and dependencies. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (["dist", "node_modules", ".wrangler"].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds web/dist unless it is newer than the sources. Stacks starting side by side (the e2e
 * and node test projects run in parallel) take turns through a lock directory, so one never
 * serves a dist another is emptying; the second then finds it fresh and skips the build.
 */
async function buildWeb(log: Log) {
  const built = join(ROOT, "web", "dist", "index.html");
  const fresh = () => existsSync(built) && statSync(built).mtimeMs > newestMtime(join(ROOT, "web"));
  if (fresh()) return;
  const lock = join(ROOT, ".wrangler", "web-build.lock");
  await mkdir(dirname(lock), { recursive: true });
  const taken = () =>
    mkdir(lock).then(
      () => false,
      (e) => (e.code === "EEXIST" ? true : Promise.reject(e)),
    );
  for (const started = Date.now(); await taken(); await sleep(200)) {
    // A lock older than any build is left over from a killed process.
    const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > 180_000) await rm(lock, { recursive: true, force: true });
    if (Date.now() - started > 300_000) throw new Error(`waited 5 min for another web build (${lock})`);
  }
  try {
    if (fresh()) return;
    log("building the web page (vite build web)…");
    await run(join(ROOT, "node_modules", ".bin", "vite"), ["build", "web", "--logLevel", "warn"]);
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function waitUntilUp(service: Service, url: string, timeoutMs = 180_000) {
  let exited = "";
  void service.exited.then((e) => {
    exited = e.signal ?? `code ${e.code}`;
  });
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(250)) {
    if (exited) throw new Error(`${service.name} exited (${exited}) before answering:\n${service.recentOutput()}`);
    if (
      await fetch(url, { signal: AbortSignal.timeout(5000) }).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
  }
  throw new Error(`${service.name} did not answer ${url} within ${timeoutMs / 1000} s:\n${service.recentOutput()}`);
}

/**
 * Starts the local stack and resolves once the API and the page answer and seed data is loaded
 * (`seeded` reports each file: loaded now, already loaded, or failed with the ingestion's error).
 * `stop()` ends every child process (whole process groups) and resolves when they are gone.
 *
 * Options: `persistDir` (Miniflare state, default .wrangler/state; any other keeps its own
 * .dev.vars inside, unless `devVarsPath` is given, so tests and benchmarks never touch the
 * user's), `apiPort`/`webPort` (0 picks a free port), `host` (0.0.0.0 in a container), `web`
 * (start the Pages site too), `seed` (see seedFiles: "real", "sample", "none" or a CSV path; each
 * file loaded once per state directory), `onSeedError` ("throw": a file that does not load stops
 * the stack and rejects; "warn": it is logged), `quiet`, `log`.
 *
 * @example
 *   const stack = await startStack({ persistDir: tmp, apiPort: 0, webPort: 0, quiet: true });
 *   await fetch(`${stack.apiUrl}/health`);
 *   await stack.stop();
 */
export async function startStack({
  persistDir = DEFAULT_PERSIST_DIR,
  apiPort = 8787,
  webPort = 8788,
  host = "127.0.0.1",
  web = true,
  seed: seedName = "real",
  quiet = false,
  devVarsPath,
  onSeedError = "throw",
  log = quiet ? () => {} : (message) => process.stdout.write(`[stack] ${message}\n`),
}: Partial<{ persistDir: string; apiPort: number; webPort: number; host: string; web: boolean; seed: string }> &
  Partial<{ quiet: boolean; devVarsPath: string; onSeedError: "throw" | "warn"; log: Log }> = {}) {
  const dir = resolve(ROOT, persistDir);
  const isDefaultDir = dir === resolve(ROOT, DEFAULT_PERSIST_DIR);
  const varsPath = resolve(devVarsPath ?? (isDefaultDir ? join(ROOT, ".dev.vars") : join(dir, ".dev.vars")));

  // Port 0 means "any free port" (tests running several stacks side by side).
  const ports = { api: apiPort || (await freePort()), web: webPort || (await freePort()) };
  for (const [what, port] of Object.entries(web ? ports : { api: ports.api })) {
    if (!(await portIsFree(port, host))) {
      throw new Error(
        `port ${port} (${what}) is already in use: is another \`npm start\` running? Choose others with API_PORT / WEB_PORT.`,
      );
    }
  }
  await mkdir(join(dir, "logs"), { recursive: true });
  const vars = await ensureDevVars(varsPath);
  if (vars.created) log(`created ${varsPath} with generated secrets and a local admin login.`);
  if (vars.missing.length) log(`warning: ${varsPath} lacks ${vars.missing.join(", ")} (see .dev.vars.example).`);
  const login = { email: vars.values.ADMIN_EMAIL ?? "", password: vars.values.ADMIN_PASSWORD ?? "" };

  log("applying local D1 migrations…");
  await run(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", dir], {
    env: wranglerEnv({ CI: "true" }),
  });
  if (web) await buildWeb(log);

  // A registry per stack: the Pages site binds to *this* stack's API worker, not to another
  // `wrangler dev` of the same name running elsewhere on the machine.
  const env = wranglerEnv({ WRANGLER_REGISTRY_PATH: join(dir, "registry") });
  // Listening on every interface (host 0.0.0.0, e.g. in a container) is still reached locally.
  const local = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  const apiUrl = `http://${local}:${ports.api}`;
  const webUrl = web ? `http://${local}:${ports.web}` : null;
  const services: Service[] = [];
  let seeded: SeedResult[] = [];
  let stopped: Promise<void> | null = null;
  const killAll = () => {
    for (const s of services) signalGroup(s, "SIGKILL");
  };
  process.on("exit", killAll);
  const stop = () => {
    stopped ??= (async () => {
      await Promise.all(services.map((s) => stopService(s)));
      process.off("exit", killAll);
      await rm(stackInfoPath(dir), { force: true });
    })();
    return stopped;
  };
  /** `wrangler [pages] dev` of one service, its output in <state>/logs/<name>.log. */
  const dev = async (name: string, command: string[], port: number, extra: string[], cwd = ROOT) => {
    const inspector = ["--inspector-port", String(await freePort()), "--show-interactive-dev-session=false"];
    const args = [...command, "dev", "--ip", host, "--port", String(port), ...extra, ...inspector];
    const logFile = join(dir, "logs", `${name}.log`);
    services.push(startService(name, WRANGLER, args, { cwd, env, quiet, logFile }));
  };

  try {
    // --test-scheduled: GET /__scheduled runs the cron handler (wrangler dev never fires crons).
    await dev("api", [], ports.api, ["--persist-to", dir, "--env-file", varsPath, "--test-scheduled"]);
    if (web) await dev("web", ["pages"], ports.web, ["--persist-to", join(dir, "pages")], join(ROOT, "web"));
    const [api, site] = services as [Service, Service?];
    await Promise.all([waitUntilUp(api, `${apiUrl}/health`), site ? waitUntilUp(site, `${webUrl}/`) : null]);
    const info = { apiUrl, webUrl, persistDir: dir, pid: process.pid, startedAt: new Date().toISOString() };
    await writeFile(stackInfoPath(dir), `${JSON.stringify(info, null, 2)}\n`);

    seeded = await seedStack(seedName, { persistDir: dir, apiUrl, login, log, onSeedError });
    // Once now: the reconciler picks up files put into local R2 while the stack was down.
    await fetch(`${apiUrl}/__scheduled`).catch(() => {});
  } catch (error) {
    await stop();
    throw error;
  }
  return { apiUrl, webUrl, persistDir: dir, devVarsPath: varsPath, login, seeded, stop };
}
