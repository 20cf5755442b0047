// API benchmark (not a test): its own `wrangler dev` on loopback with a temporary state
// directory and generated secrets, data loaded through POST /api/v1/uploads and the real
// pipeline; the cache growth of 1,000 random top-N requests; then autocannon against a
// hello-world Worker, /health/live (the floor: no dependency), /health (one round trip to D1, KV
// and R2 each), top-N cached and top-N uncached at each of BENCH_CONNECTIONS, and the same at
// 80 ms per D1 round trip. Bounded: each run lasts BENCH_SECONDS (default 10). It answers
// --help first (below), so asking for help never starts a run.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { parseCommandLine, positiveNumber } from "../scripts/lib/cli.ts";
import { generateDevVars } from "../scripts/lib/dev-vars.ts";
import {
  freePort,
  ROOT,
  run as runCommand,
  startService,
  stopService,
  WRANGLER,
  wranglerEnv,
} from "../scripts/lib/processes.ts";
import { writeSampleGenCsv } from "../scripts/lib/sample.ts";
import { api, makeAnalystTokens } from "./lib/api-users.mjs";
import { measureCacheGrowth, randomTopPaths } from "./lib/cache-growth.mjs";
import { startHello } from "./lib/hello.mjs";

parseCommandLine(
  "bench:api",
  `usage: npm run bench:api [-- --help]

Measures the API on this machine: starts its own \`wrangler dev\` on loopback with a temporary
state directory and generated secrets, and a hello-world Worker (bench/hello) the same way;
loads data/egrid/egrid2023_gen23.csv, egrid2021_gen21.csv (for its fuel column) and a generated 2022 file through POST /api/v1/uploads and
the real pipeline, creates analyst users, then:
- cache growth: 1,000 random top-N requests (random n, offset, state) on the 2022 data, which no
  request read before, and the bytes the local KV store grew by (target ≤ 10 MB);
- at each connection count, autocannon against the hello-world Worker, /health/live (the floor:
  no dependency), /health, top-N cached and top-N uncached (every request a new page), the analysis
  endpoints cached and uncached (fuel top-N, state detail and history, movers, search), and cached
  top-N as a share of /health/live (target ≥ 70%) and of the hello-world Worker (before the
  cached run, one untimed request per user: a user's first request in 30 s checks its row in D1);
- at one connection, the same with 80 ms added before every D1 round trip (POST /__dev/faults
  {"d1LatencyMs": 80}, a far edge location): p50 of /health/live, cached and uncached top-N.
Prints req/s, p50, p99 and errors per scenario and writes them to bench/out/api-<time>.json.
Takes about (5 scenarios x connection counts + 3) x BENCH_SECONDS plus two minutes to start;
many connections on a 2-core machine also load everything else running.

Options:
  -h, --help                  this text; runs nothing

Environment:
  BENCH_CONNECTIONS=1,50,200    connection counts, comma-separated (one run of each scenario per count)
  BENCH_SECONDS=10              length of each run
  BENCH_USERS=300               analysts the load is spread over (API_LIMITER: 6,000 requests/min per user)
  BENCH_WRANGLER_LOG_LEVEL=warn wrangler's log level (its per-request lines slow it down)

Example: BENCH_CONNECTIONS=1 BENCH_SECONDS=5 npm run bench:api`,
);
const SECONDS = positiveNumber("bench:api", "BENCH_SECONDS", process.env.BENCH_SECONDS ?? 10);
// API_LIMITER allows 6,000 requests per user per 60 s. The bench spreads its load over this many
// users, as real traffic comes from many users; the limiter itself is never loosened.
const USERS = positiveNumber("bench:api", "BENCH_USERS", process.env.BENCH_USERS ?? 300);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? "1,50,200")
  .split(",")
  .map((n) => positiveNumber("bench:api", "each of BENCH_CONNECTIONS", n));
const REAL_FILE = join(ROOT, "data", "egrid", "egrid2023_gen23.csv");
// wrangler prints a line per request (its own and the Worker's log line) through one Node
// process; at thousands of requests per second that terminal path, not the Worker, becomes the
// bottleneck. The Worker still writes its log line; wrangler just does not echo it.
const WRANGLER_LOG_LEVEL = process.env.BENCH_WRANGLER_LOG_LEVEL ?? "warn";
const log = (m) => process.stdout.write(`[bench] ${m}\n`);
/** The year of the generated file only the cache-growth run reads. */
const GROWTH_YEAR = 2022;
const GROWTH_REQUESTS = 1_000;

/** Migrates a fresh state directory and starts `wrangler dev` on it with generated secrets. */
async function startApi(dir) {
  const vars = generateDevVars();
  const varsPath = join(dir, ".dev.vars");
  const lines = Object.entries(vars).map(([k, v]) => `${k}='${v}'`);
  await writeFile(varsPath, `${lines.join("\n")}\n`, { mode: 0o600 });
  await runCommand(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", dir], {
    env: wranglerEnv({ CI: "true" }),
  });
  const port = await freePort();
  const service = startService(
    "api",
    WRANGLER,
    [
      "dev",
      ...["--ip", "127.0.0.1", "--port", String(port), "--persist-to", dir, "--env-file", varsPath],
      ...["--inspector-port", String(await freePort()), "--log-level", WRANGLER_LOG_LEVEL],
      "--show-interactive-dev-session=false",
    ],
    { env: wranglerEnv({ WRANGLER_REGISTRY_PATH: join(dir, "registry") }), quiet: true, logFile: join(dir, "api.log") },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 250) {
    try {
      if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) })).ok) break;
    } catch {}
    if (waited > 180_000) throw new Error(`wrangler dev did not start:\n${service.recentOutput()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, vars, stop: () => stopService(service) };
}

/** Uploads `file` through POST /api/v1/uploads and waits until the pipeline has published it. */
async function upload(base, adminToken, file) {
  const body = await readFile(file);
  const upload = await api(base, "/api/v1/uploads?filename=bench.csv", {
    method: "POST",
    headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "text/csv" },
    body,
  });
  for (;;) {
    const ingestion = await api(base, upload.location, { headers: { Authorization: `Bearer ${adminToken}` } });
    if (["done", "failed", "skipped"].includes(ingestion.status)) {
      if (ingestion.status !== "done") throw new Error(`ingestion ${ingestion.status}: ${ingestion.error}`);
      log(`loaded ${file} (${ingestion.rows.loaded} generators, ${ingestion.plantCount} plants)`);
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Loads the real 2023 file (a generated one when absent) for every scenario, and a generated
 * 2022 file of the same size that only the cache-growth run reads, so that run starts from an
 * empty cache whatever the scenarios before it wrote.
 */
async function loadData(base, adminToken, dir) {
  let file = REAL_FILE;
  if (!existsSync(file)) {
    file = join(dir, "sample-2023.csv");
    log(`${REAL_FILE} absent: generating a sample GEN file instead`);
    await writeSampleGenCsv(file, { year: 2023, seed: 1 });
  }
  await upload(base, adminToken, file);
  // 2021 has the fuel column (2023's file does not), for the fuel ranking and state mix scenarios.
  const full = join(ROOT, "data", "egrid", "egrid2021_gen21.csv");
  if (existsSync(full)) await upload(base, adminToken, full);
  const growthFile = join(dir, `sample-${GROWTH_YEAR}.csv`);
  await writeSampleGenCsv(growthFile, { year: GROWTH_YEAR, seed: 2 });
  await upload(base, adminToken, growthFile);
}

/** Bytes the KV cache grows by over 1,000 random top-N requests on a dataset no request read before. */
async function cacheGrowth(base, tokens, dir) {
  const paths = randomTopPaths(GROWTH_REQUESTS).map((p) => `${p}&year=${GROWTH_YEAR}`);
  log(`cache growth: ${paths.length} random top-N requests (n 1-1000, offset 0-15,000, random state)…`);
  const { bytes, statuses } = await measureCacheGrowth({ base, tokens, paths, kvDir: join(dir, "v3", "kv") });
  const mb = bytes / 1e6;
  log(
    `cache growth: ${mb.toFixed(2)} MB written to KV per ${paths.length} random top-N requests (target ≤ 10 MB); ` +
      `statuses ${JSON.stringify(statuses)}`,
  );
  return { scenario: `KV bytes per ${paths.length} random top-N`, bytes, statuses };
}

const STATES = ["", "TX", "CA", "FL", "PA", "NY", "IL", "OH", "GA", "AZ"];
const cachedPaths = STATES.flatMap((s) => [10, 100].map((n) => `/api/v1/plants/top?n=${n}${s ? `&state=${s}` : ""}`));
// Top-N is cached in pages of 100 ranks (worker/api/top-pages.ts), so only a page no earlier
// request touched is a miss: national pages 1-125, then pages 1-12 of each state above (page 0
// of each is warmed as "cached"). About 230 misses in all, by design of the bounded cache: a
// longer or wider run turns into hits, which the "cache hit %" column shows.
const uncachedPaths = [
  ...Array.from({ length: 125 }, (_, i) => `/api/v1/plants/top?n=${10 + (i % 10)}&offset=${(i + 1) * 100}`),
  ...STATES.filter(Boolean).flatMap((s) =>
    Array.from({ length: 12 }, (_, i) => `/api/v1/plants/top?state=${s}&n=10&offset=${(i + 1) * 100}`),
  ),
];
let uncachedCounter = 0;
function uncachedPath() {
  return uncachedPaths[uncachedCounter++ % uncachedPaths.length];
}
// For the far-location run: pages of states no other scenario touches (90 distinct misses).
const FAR_STATES = ["WA", "MI", "NC", "VA", "WI", "MN", "CO", "OR", "MA", "NJ", "IN", "MO", "SC", "IA", "KS"];
const farUncachedPaths = FAR_STATES.flatMap((s) =>
  Array.from({ length: 6 }, (_, i) => `/api/v1/plants/top?state=${s}&n=10&offset=${i * 100}`),
);
let farCounter = 0;
function farUncachedPath() {
  return farUncachedPaths[farCounter++ % farUncachedPaths.length];
}
// The analysis endpoints of fuels, years and change (docs/api.md): a fixed set answered from the
// cache, and misses: word-prefix searches and state details no other request asked for.
const analysisCachedPaths = [
  "/api/v1/plants/top?year=2021&fuel=GAS&n=10",
  "/api/v1/plants/top?year=2021&fuel=WIND&state=TX&n=10",
  "/api/v1/states/TX?year=2023",
  "/api/v1/states/US/history",
  "/api/v1/plants/movers?year=2023&n=10",
  "/api/v1/plants?search=palo&year=2023",
];
const LETTERS = "abcdefghijklmnoprstw";
const analysisUncachedPaths = [
  ...[...LETTERS].flatMap((a) => [...LETTERS].map((b) => `/api/v1/plants?search=${a}${b}&year=2023`)),
  ...STATES.filter(Boolean).flatMap((s) => [2021, 2022].map((y) => `/api/v1/states/${s}?year=${y}`)),
];
let analysisCounter = 0;
function analysisUncachedPath() {
  return analysisUncachedPaths[analysisCounter++ % analysisUncachedPaths.length];
}
/** The D1 round-trip latency of a far edge location, added by the dev fault switch. */
const FAR_D1_MS = 80;

async function setD1Latency(base, ms) {
  const res = await fetch(`${base}/__dev/faults`, { method: "POST", body: JSON.stringify({ d1LatencyMs: ms }) });
  if (!res.ok) throw new Error(`POST /__dev/faults: ${res.status} ${await res.text()}`);
}

/** 1 connection with FAR_D1_MS before every D1 round trip: a hit must not pay it, a miss once. */
async function farLocation(base, tokens) {
  const far = [];
  await setD1Latency(base, FAR_D1_MS);
  try {
    for (const [name, options] of [
      ["/health/live (floor)", { path: () => "/health/live" }],
      // A few users, as one analyst browsing: each user's row is checked in D1 once per
      // USER_CACHE_MS (30 s) per isolate (worker/auth/users.ts), so a hit then pays no round trip.
      ["top-N cached", { path: (i) => cachedPaths[i % cachedPaths.length], tokens: tokens.slice(0, 5) }],
      ["top-N uncached", { path: farUncachedPath, tokens: tokens.slice(0, 5) }],
      // Every request from a user this isolate has not checked for 30 s: one D1 round trip each.
      ["top-N cached, users not seen for 30 s", { path: (i) => cachedPaths[i % cachedPaths.length], tokens }],
    ]) {
      await settle(base);
      log(`${name} at 1 connection with D1 +${FAR_D1_MS} ms for ${SECONDS} s…`);
      far.push(row(`${name}, D1 +${FAR_D1_MS} ms`, 1, await run(base, { connections: 1, ...options })));
    }
  } finally {
    await setD1Latency(base, 0);
  }
  console.table(far);
  const [floor, cached, uncached, coldUsers] = far.map((r) => r["p50 ms"]);
  log(
    `D1 +${FAR_D1_MS} ms per round trip: p50 floor ${floor} ms, cached ${cached} ms (+${cached - floor}; target ≤ +5), ` +
      `uncached ${uncached} ms (+${uncached - floor}; target ≤ one round trip, ${FAR_D1_MS} ms + the local query), ` +
      `cached for a user not seen for 30 s ${coldUsers} ms (+${coldUsers - floor}: the user lookup's round trip)`,
  );
  return far;
}

function run(defaultBase, { connections, path, tokens, base = defaultBase }) {
  let i = 0;
  const cache = { HIT: 0, MISS: 0 };
  const request = {
    setupRequest: (req) => {
      i += 1;
      const headers = { ...req.headers };
      if (tokens) headers.authorization = tokens[i % tokens.length];
      return { ...req, path: path(i), headers };
    },
    onResponse: (_status, _body, _context, headers) => {
      const raw = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === "x-cache")?.[1];
      if (raw === "HIT" || raw === "MISS") cache[raw] += 1;
    },
  };
  return new Promise((resolve, reject) => {
    autocannon({ url: base, connections, duration: SECONDS, requests: [request], timeout: 10 }, (error, result) =>
      error ? reject(error) : resolve({ result, cache }),
    );
  });
}

/**
 * One untimed request per user, as each signed-in analyst's first page view: the API checks a
 * user's row in D1 once per 30 s per isolate (worker/auth/users.ts), and with few requests per
 * user in a short run every timed request would otherwise be a first one. What a first request
 * costs is measured on its own ("users not seen for 30 s", in the far-location run).
 */
async function warmUsers(base, tokens) {
  for (const token of tokens) {
    await fetch(`${base}/api/v1/years`, { headers: { Authorization: token } }).then((r) => r.arrayBuffer());
  }
}

/**
 * Waits until the server has drained the previous run: requests a client gave up on are still
 * processed, and would otherwise be billed to the next scenario. Done when /health answers fast
 * three times in a row (at most 60 s).
 */
async function settle(base) {
  let fast = 0;
  for (const deadline = Date.now() + 60_000; fast < 3 && Date.now() < deadline; ) {
    const started = performance.now();
    await fetch(`${base}/health`, { signal: AbortSignal.timeout(30_000) }).catch(() => {});
    fast = performance.now() - started < 100 ? fast + 1 : 0;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function row(name, connections, { result, cache }) {
  const total = cache.HIT + cache.MISS;
  return {
    scenario: name,
    connections,
    "req/s": Math.round(result.requests.average),
    "p50 ms": result.latency.p50,
    "p99 ms": result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
    non2xx: result.non2xx,
    "cache hit %": total ? Math.round((cache.HIT / total) * 100) : "-",
  };
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), "egrid-bench-api-"));
  log(`starting wrangler dev (state in ${dir})…`);
  const server = await startApi(dir);
  await mkdir(join(dir, "hello"));
  const hello = await startHello(join(dir, "hello"), WRANGLER_LOG_LEVEL).catch(async (error) => {
    await server.stop();
    throw error;
  });
  try {
    const { vars, url: base } = server;
    const { access_token: adminToken } = await api(base, "/api/v1/auth/token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: vars.ADMIN_EMAIL, password: vars.ADMIN_PASSWORD }),
    });
    await loadData(base, adminToken, dir);
    log(`creating ${USERS} bench users…`);
    const tokens = await makeAnalystTokens({
      base: base,
      adminToken: adminToken,
      keys: vars.JWT_SIGNING_KEYS,
      count: USERS,
      prefix: "bench",
    });
    const growth = await cacheGrowth(base, tokens, dir);
    // Twice: the first read of an entry fills KV, the second this isolate's memory (cache.ts).
    const warm = [...cachedPaths, ...analysisCachedPaths];
    for (const p of [...warm, ...warm]) await api(base, p, { headers: { Authorization: tokens[0] } });
    // What one answer of each kind costs, from its Server-Timing header.
    for (const [name, path] of [
      ["cached", cachedPaths[0]],
      ["uncached", "/api/v1/plants/top?n=7&offset=12577"],
    ]) {
      const res = await fetch(`${base}${path}`, { headers: { Authorization: tokens[0] } });
      log(`top-N ${name}: Server-Timing ${res.headers.get("server-timing")}`);
    }

    const rows = [];
    for (const connections of CONNECTIONS) {
      const scenarios = [
        ["hello-world Worker", { base: hello.url, path: () => "/" }],
        ["/health/live (floor)", { path: () => "/health/live" }],
        ["/health", { path: () => "/health" }],
        ["top-N cached", { path: (i) => cachedPaths[i % cachedPaths.length], tokens }],
        ["top-N uncached", { path: uncachedPath, tokens }],
        ["analysis cached", { path: (i) => analysisCachedPaths[i % analysisCachedPaths.length], tokens }],
        ["analysis uncached", { path: analysisUncachedPath, tokens }],
      ];
      for (const [name, options] of scenarios) {
        await settle(base);
        if (name.endsWith(" cached")) await warmUsers(base, tokens);
        log(`${name} at ${connections} connection(s) for ${SECONDS} s…`);
        rows.push(row(name, connections, await run(base, { connections, ...options })));
      }
    }
    console.table(rows);
    rows.push(...(await farLocation(base, tokens)));
    for (const connections of CONNECTIONS) {
      const at = (name) => rows.find((r) => r.connections === connections && r.scenario === name);
      const floor = at("/health/live (floor)")["req/s"];
      const cached = at("top-N cached")["req/s"];
      const share = (of) => (of ? `${Math.round((cached / of) * 100)}%` : "-");
      log(
        `${connections} connection(s): cached top-N at ${share(floor)} of /health/live's req/s (target ≥ 70%), ` +
          `${share(at("hello-world Worker")["req/s"])} of the hello-world Worker's, ` +
          `uncached p99 ${at("top-N uncached")["p99 ms"]} ms, errors ${rows.filter((r) => r.connections === connections).reduce((n, r) => n + r.errors, 0)}`,
      );
    }
    await mkdir(join(ROOT, "bench", "out"), { recursive: true });
    const out = join(ROOT, "bench", "out", `api-${new Date().toISOString().replaceAll(":", "-")}.json`);
    const machine = { cpus: cpus().length, loadavg: loadavg() };
    log(`machine: ${machine.cpus} CPUs, load average ${machine.loadavg.map((l) => l.toFixed(1)).join(" ")}`);
    await writeFile(out, JSON.stringify({ seconds: SECONDS, users: USERS, machine, rows, growth }, null, 2));
    log(`figures written to ${out}`);
  } finally {
    await hello.stop();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
