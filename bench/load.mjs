// `npm run bench:load`: 1,000 connections against top-N for LOAD_SECONDS (default 60) on the
// local stack (wrangler dev on loopback), while a new revision of the same year is ingested
// through the real pipeline. Every response body is checked: 200, all rows from ONE revision,
// and meta.datasetVersion naming that revision. Prints requests/s, p50, p99, errors, mixed
// responses (must be 0) and how long after the revision's ingestion completed old data was
// still served (staleness). A benchmark, not a test: figures go in docs/hardening.md.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { parseCommandLine, positiveNumber } from "../scripts/lib/cli.ts";
import { parseDevVars } from "../scripts/lib/dev-vars.ts";
import { notifyLocal, putLocalObject, waitForIngestion } from "../scripts/lib/local-ingest.ts";
import { ROOT } from "../scripts/lib/processes.ts";
import { startStack } from "../scripts/lib/stack.ts";
import { api, makeAnalystTokens } from "./lib/api-users.mjs";
import { readersDuringIngestion } from "./load-ingest.mjs";

parseCommandLine(
  "bench:load",
  `usage: npm run bench:load [-- --help]

Measures top-N under load while a dataset is replaced: starts its own stack (API only, temporary
state directory), ingests revision A of a generated 2023 file (every GENNTAN ending in 1), then
runs LOAD_CONNECTIONS connections against top-N (a mix of states and N) for LOAD_SECONDS while
revision B (GENNTAN ending in 2) is ingested through the real pipeline. Every response is
checked: 200, all rows from ONE revision, meta.datasetVersion naming that revision. Prints
req/s, p50, p99, errors, mixed responses (must be 0) and how long after B completed old data
was still served. Then, readers during a big ingestion: LOAD_READERS connections on cached
top-N for LOAD_READER_SECONDS with no ingestion (the baseline), then the same load from the
moment a generated LOAD_INGEST_MB file (year 2021) is notified until its ingestion is done:
p50/p99 side by side (target: p99 ≤ 1 s during ingestion) and the ingestion's time under that
load. Beside those readers, in both runs, LOAD_D1_READERS connections that do query D1: each
request searches a never-seen word in 2023 (GET /api/v1/plants?search=…, one D1 batch, a
small 200): req/s, p50, p99, max, their Server-Timing d1 and total times. From the consumer
log: the big file's chunk messages' ms, each chunk write batch's ms (how long one transaction
held D1: chunk_batch lines) and each publishing step with its longest statement (finalize_step).
Writes the figures to bench/out/load-<time>.json.

Options:
  -h, --help             this text; runs nothing

Environment:
  LOAD_SECONDS=60        length of the run
  LOAD_CONNECTIONS=1000  concurrent connections
  LOAD_USERS=300         analysts the load is spread over (API_LIMITER: 6,000 requests/min per user)
  LOAD_PLANTS=12000      plants (one generator each) in each revision
  LOAD_TIMEOUT_S=30      a request unanswered after this long counts as an error
  LOAD_B_AT=0.1          when revision B starts, as a fraction of the run
  LOAD_INGEST_MB=100     size of the file ingested under the readers (0 skips that part)
  LOAD_READERS=10        connections reading cached top-N during that ingestion and the baseline
  LOAD_READER_SECONDS=15 length of the baseline run
  LOAD_D1_READERS=2      connections on uncached D1 searches beside them (0 skips them)

Example: LOAD_SECONDS=10 LOAD_CONNECTIONS=100 npm run bench:load`,
);
const number = (name, fallback) => positiveNumber("bench:load", name, process.env[name] ?? fallback);
const SECONDS = number("LOAD_SECONDS", 60);
const CONNECTIONS = number("LOAD_CONNECTIONS", 1000);
// API_LIMITER allows 6,000 requests per user per 60 s; the load is spread over this many users
// (created through the admin API), as real traffic comes from many users. Never loosened.
const USERS = number("LOAD_USERS", 300);
const PLANTS = number("LOAD_PLANTS", 12_000);
// autocannon abandons (and counts as an error) a request unanswered after this many seconds.
// Abandoned requests are still served and are re-sent at once, which only adds load to a
// saturated server; 30 s lets a saturated local runtime answer instead (see p99).
const TIMEOUT_S = number("LOAD_TIMEOUT_S", 30);
// When revision B starts, as a fraction of the run: its ingestion shares the runtime with the load.
const B_AT = number("LOAD_B_AT", 0.1);
const INGEST_MB = Number(process.env.LOAD_INGEST_MB ?? 100);
if (!Number.isFinite(INGEST_MB) || INGEST_MB < 0) throw new Error("bench:load: LOAD_INGEST_MB must be 0 or more");
const READERS = number("LOAD_READERS", 10);
const READER_SECONDS = number("LOAD_READER_SECONDS", 15);
const YEAR = 2023;
const D1_READERS = Number(process.env.LOAD_D1_READERS ?? 2);
if (!Number.isInteger(D1_READERS) || D1_READERS < 0) throw new Error("bench:load: LOAD_D1_READERS must be 0 or more");
const STATES = ["AZ", "CA", "FL", "GA", "IL", "NY", "OH", "PA", "TX", "WA"];
const log = (m) => process.stdout.write(`[bench:load] ${m}\n`);

/**
 * A GEN file where every generator's GENNTAN ends in the revision digit (1 or 2): one generator
 * per plant, so every plant total in a response says which revision it came from.
 */
function revisionCsv(revision) {
  const lines = ["SEQGEN23,YEAR,PSTATEABB,PNAME,GENID,GENNTAN"];
  for (let i = 1; i <= PLANTS; i++) {
    const mwh = ((i * 7919) % 1_000_003) * 10 + revision;
    lines.push(`${i},${YEAR},${STATES[i % STATES.length]},"Plant ${i}, Unit",G1,"${mwh.toLocaleString("en-US")}"`);
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** Puts revision `revision` under `key`, notifies the local queue, waits until it is done. */
async function ingest(stack, dir, revision, key, onNotified = () => {}) {
  const file = join(dir, `revision-${revision}.csv`);
  await writeFile(file, revisionCsv(revision));
  await putLocalObject({ file, key, persistDir: stack.persistDir });
  const { ingestionId } = await notifyLocal(stack.apiUrl, key);
  onNotified(ingestionId);
  const done = await waitForIngestion(stack.apiUrl, ingestionId, { timeoutMs: 5 * 60_000, intervalMs: 50 });
  if (done.status !== "done") throw new Error(`revision ${revision}: ingestion ${done.status}: ${done.error}`);
  return { id: ingestionId, status: done.status, completedAt: done.completedAt, seenDoneAt: Date.now() };
}

const PATHS = ["", ...STATES].flatMap((s) =>
  [1, 5, 10, 50].map((n) => `/api/v1/plants/top?n=${n}${s ? `&state=${s}` : ""}`),
);

/** Checks one response body; returns the revision it shows or a problem description. */
function classify(status, body, revisionOf) {
  if (status !== 200) return { problem: `status ${status}: ${String(body).slice(0, 160)}` };
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { problem: "body is not JSON" };
  }
  const digits = new Set(parsed.data.map((row) => Math.round(row.netGenerationMwh) % 10));
  if (digits.size !== 1) return { mixed: true, problem: `rows from revisions ${[...digits].join("+")}` };
  const [digit] = digits;
  const version = revisionOf.get(parsed.meta.datasetVersion);
  if (version !== digit) return { mixed: true, problem: `datasetVersion ${version} but rows of revision ${digit}` };
  return { revision: digit };
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), "egrid-bench-load-"));
  log(`starting wrangler dev (state in ${dir})…`);
  const stack = await startStack({ persistDir: dir, apiPort: 0, web: false, seed: "none", quiet: true });
  try {
    const base = stack.apiUrl;
    const vars = parseDevVars(await readFile(stack.devVarsPath, "utf8"));
    const { access_token: adminToken } = await api(base, "/api/v1/auth/token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(stack.login),
    });
    log(`ingesting revision A (${PLANTS} plants, every GENNTAN ending in 1)…`);
    const a = await ingest(stack, dir, 1, "load/egrid-2023-a.csv");
    const revisionOf = new Map([[a.id, 1]]);
    log(`creating ${USERS} users…`);
    const tokens = await makeAnalystTokens({
      base: base,
      adminToken: adminToken,
      keys: vars.JWT_SIGNING_KEYS,
      count: USERS,
      prefix: "load",
    });

    const counts = { ok: 0, mixed: 0, bad: 0, A: 0, B: 0 };
    const problems = new Map();
    let lastAAt = 0;
    let firstBAt = 0;
    let b = null;
    let i = 0;
    const request = {
      setupRequest: (req, context) => {
        i += 1;
        // One request in flight per connection (no pipelining): the send time of its answer.
        context.sentAt = Date.now();
        return {
          ...req,
          path: PATHS[i % PATHS.length],
          headers: { ...req.headers, authorization: tokens[i % tokens.length] },
        };
      },
      onResponse: (status, body, context) => {
        const sentAt = context.sentAt ?? Date.now();
        const outcome = classify(status, body, revisionOf);
        if (outcome.problem) {
          if (outcome.mixed) counts.mixed += 1;
          else counts.bad += 1;
          problems.set(outcome.problem, (problems.get(outcome.problem) ?? 0) + 1);
          return;
        }
        counts.ok += 1;
        if (outcome.revision === 1) {
          counts.A += 1;
          lastAAt = Math.max(lastAAt, sentAt);
        } else {
          counts.B += 1;
          firstBAt = firstBAt ? Math.min(firstBAt, sentAt) : sentAt;
        }
      },
    };
    log(
      `${CONNECTIONS} connections for ${SECONDS} s against ${PATHS.length} top-N variants; revision B at ${Math.round(SECONDS * B_AT)} s…`,
    );
    const started = Date.now();
    // Revision B of the same year, under another key, early in the run.
    let bStartedAt = 0;
    const ingestionB = new Promise((resolve) => setTimeout(resolve, SECONDS * 1000 * B_AT)).then(() => {
      bStartedAt = Date.now();
      return ingest(stack, dir, 2, "load/egrid-2023-b.csv", (id) => revisionOf.set(id, 2)).then((done) => {
        b = done;
        log(`revision B published at ${((done.completedAt - started) / 1000).toFixed(1)} s`);
      });
    });
    const result = await new Promise((resolve, reject) => {
      autocannon(
        { url: base, connections: CONNECTIONS, duration: SECONDS, requests: [request], timeout: TIMEOUT_S },
        (error, r) => (error ? reject(error) : resolve(r)),
      );
    });
    await ingestionB;
    // After the run: one request per variant must now show revision B only.
    const after = { B: 0, other: 0 };
    for (const [k, path] of PATHS.entries()) {
      const res = await fetch(`${base}${path}`, { headers: { authorization: tokens[k % tokens.length] } });
      const outcome = classify(res.status, await res.text(), revisionOf);
      if (outcome.revision === 2) after.B += 1;
      else after.other += 1;
    }
    const figures = {
      seconds: SECONDS,
      connections: CONNECTIONS,
      users: USERS,
      plants: PLANTS,
      "req/s": Math.round(result.requests.average),
      "p50 ms": result.latency.p50,
      "p99 ms": result.latency.p99,
      requests: result.requests.total,
      "errors (incl. timeouts)": result.errors,
      timeouts: result.timeouts,
      "timeout s": TIMEOUT_S,
      non2xx: result.non2xx,
      "bodies checked": counts.ok + counts.mixed + counts.bad,
      "bad bodies": counts.bad,
      "mixed responses": counts.mixed,
      "revision A responses": counts.A,
      "revision B responses": counts.B,
      "B ingestion status": b?.status,
      "B completed_at (s into run)": b?.completedAt ? ((b.completedAt - started) / 1000).toFixed(2) : null,
      // Times are request SEND times: a request sent before B completed may rightly get A.
      "first B request sent, ms after B completed_at": firstBAt && b?.completedAt ? firstBAt - b.completedAt : null,
      "staleness ms (last A request sent after B completed_at)": b?.completedAt
        ? Math.max(0, lastAAt - b.completedAt)
        : null,
      "B ingestion took s (under load)": b?.completedAt ? ((b.completedAt - bStartedAt) / 1000).toFixed(2) : null,
      "variants showing B after the run": `${after.B}/${PATHS.length}`,
    };
    console.table(Object.entries(figures).map(([figure, value]) => ({ figure, value })));
    if (problems.size) console.table([...problems].map(([problem, count]) => ({ problem, count })));
    let ingestion = null;
    if (INGEST_MB > 0) {
      ingestion = await readersDuringIngestion({
        stack,
        dir,
        tokens,
        paths: PATHS,
        connections: READERS,
        d1Connections: D1_READERS,
        // Published (revisions A and B) before the big file: a search there reads D1 on a miss.
        searchYear: YEAR,
        seconds: READER_SECONDS,
        megabytes: INGEST_MB,
        log,
      });
      console.table(ingestion.rows);
      const [quiet, busy] = ingestion.rows;
      log(
        `readers during a ${INGEST_MB} MB ingestion (${ingestion.ingestedRows} rows, visible after ${ingestion.ingestSeconds.toFixed(1)} s under this load): ` +
          `p50 ${busy["p50 ms"]} ms / p99 ${busy["p99 ms"]} ms, against ${quiet["p50 ms"]} / ${quiet["p99 ms"]} ms with no ingestion (target p99 ≤ 1,000 ms)`,
      );
      if (ingestion.errors.length) console.table(ingestion.errors);
      if (ingestion.serverTiming.length) console.table(ingestion.serverTiming);
      const consumer = ingestion.messages;
      if (consumer) {
        console.table([consumer.summary]);
        console.table(consumer.steps);
        if (consumer.changePairs.length) console.table(consumer.changePairs);
      } else log("consumer log not readable: chunk and publishing times not shown");
      const [, , quietD1, busyD1] = ingestion.rows;
      if (busyD1) {
        const chunks = consumer
          ? `; one chunk write batch held D1 ${consumer.summary["chunk batch ms p50"]} ms (p50), ${consumer.summary["chunk batch ms max"]} ms at most; ` +
            `the longest publishing statement ${consumer.summary["longest publishing statement ms"]} ms (${consumer.summary["in step"]})`
          : "";
        log(
          `uncached D1 readers during that ingestion: p50 ${busyD1["p50 ms"]} ms / p99 ${busyD1["p99 ms"]} ms / max ${busyD1["max ms"]} ms, ` +
            `against ${quietD1["p50 ms"]} / ${quietD1["p99 ms"]} / ${quietD1["max ms"]} ms with no ingestion (target ~100 ms behind one batch)${chunks}`,
        );
      }
      if (busy.errors > 0 || quietD1?.errors > 0 || busyD1?.errors > 0) process.exitCode = 1;
    }
    await mkdir(join(ROOT, "bench", "out"), { recursive: true });
    const out = join(ROOT, "bench", "out", `load-${new Date().toISOString().replaceAll(":", "-")}.json`);
    await writeFile(out, JSON.stringify({ figures, ingestion, problems: Object.fromEntries(problems) }, null, 2));
    log(`figures written to ${out}`);
    const failed =
      result.errors + result.non2xx + counts.bad + counts.mixed > 0 || b?.status !== "done" || after.other > 0;
    if (failed) {
      log("FAILED: errors, non-200 answers, mixed responses, or revision B not served after it completed");
      process.exitCode = 1;
    }
  } finally {
    await stack.stop();
    // Server-side reasons of any 5xx (the API logs one JSON line per request and per error).
    const serverLog = await readFile(join(dir, "logs", "api.log"), "utf8").catch(() => "");
    const failures = serverLog.split("\n").filter((line) => /"status":5\d\d|error|Error/.test(line));
    if (failures.length)
      log(`${failures.length} server log lines about errors, first ones:\n${failures.slice(0, 12).join("\n")}`);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
