// bench:load's second part: do readers stall while a big file ingests? Cached top-N p50/p99 with
// no ingestion (the baseline), then the same load while a generated file of LOAD_INGEST_MB goes
// through the real pipeline (local R2 -> notification -> queue consumer -> D1), in one run.
// Beside them, a few uncached readers that DO query D1 (a never-seen search: one D1 batch each),
// since cached readers make no D1 query and so cannot show how long a chunk's write batch holds D1.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import autocannon from "autocannon";
import { notifyLocal, putLocalObject, waitForIngestion } from "../scripts/lib/local-ingest.ts";
import { writeSampleGenCsv } from "../scripts/lib/sample.ts";

/** The ingested file's year: not the year the readers read, so their answers stay cached. */
const INGEST_YEAR = 2021;

/** `connections` autocannon connections for `seconds`, each request's path from `pathAt(i)`. */
function load(base, { pathAt, tokens, connections, seconds, onResponse }) {
  let i = 0;
  const request = {
    setupRequest: (req) => {
      i += 1;
      return { ...req, path: pathAt(i), headers: { ...req.headers, authorization: tokens[i % tokens.length] } };
    },
    ...(onResponse ? { onResponse } : {}),
  };
  return autocannon({ url: base, connections, duration: seconds, requests: [request], timeout: 30 });
}

function figures(name, result) {
  return {
    scenario: name,
    "req/s": Math.round(result.requests.average),
    "p50 ms": result.latency.p50,
    "p99 ms": result.latency.p99,
    "max ms": result.latency.max,
    requests: result.requests.total,
    // autocannon's `errors` already include its timeouts: each failed request counts once.
    errors: result.errors + result.non2xx,
  };
}

/** What a row's errors were: timeouts (no answer within 30 s), other connection errors, statuses. */
function errorDetail(name, result) {
  const statuses = Object.entries(result.statusCodeStats ?? {})
    .filter(([code]) => !code.startsWith("2"))
    .map(([code, { count }]) => `${code}×${count}`);
  return {
    scenario: name,
    "timeouts (30 s)": result.timeouts,
    "other connection errors": result.errors - result.timeouts,
    "non-2xx": result.non2xx,
    statuses: statuses.join(" ") || "-",
  };
}

/** Nearest-rank percentile of `values` (unsorted), rounded to 0.1; null when empty. */
function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[at] * 10) / 10;
}

/** `dur` of metric `name` in a Server-Timing header value (`d1;desc="2";dur=3.4, …`), or null. */
function serverTimingDur(header, name) {
  const value = Array.isArray(header) ? header.join(", ") : String(header ?? "");
  const metric = value.split(",").find((m) => m.trim().split(";")[0] === name);
  const dur = metric?.match(/;\s*dur=([\d.]+)/);
  return dur ? Number(dur[1]) : null;
}

/**
 * Uncached D1 readers: every request searches a word no request used before, in `year` (already
 * published), so no cache can answer: one D1 batch (the page and the count) per request, and a
 * small 200 with no match. Collects each answer's Server-Timing `d1` and `total` durations.
 */
function d1Readers(base, { tokens, connections, seconds, year, tag }) {
  const d1 = [];
  const total = [];
  const onResponse = (_status, _body, _context, headers) => {
    const timing = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === "server-timing")?.[1];
    const d1Ms = serverTimingDur(timing, "d1");
    const totalMs = serverTimingDur(timing, "total");
    if (d1Ms !== null) d1.push(d1Ms);
    if (totalMs !== null) total.push(totalMs);
  };
  const pathAt = (i) => `/api/v1/plants?search=zqx${tag}n${i}&year=${year}`;
  const instance = load(base, { pathAt, tokens, connections, seconds, onResponse });
  const serverTiming = (scenario) => ({
    scenario,
    answers: d1.length,
    "d1 p50 ms": percentile(d1, 50),
    "d1 p99 ms": percentile(d1, 99),
    "d1 max ms": percentile(d1, 100),
    "server total p99 ms": percentile(total, 99),
    // Time inside the handler: a client wait far above it was spent before the handler ran.
    "server total max ms": percentile(total, 100),
  });
  return { instance, serverTiming };
}

/**
 * The consumer's log lines for `ingestionId`, or null if unreadable: one per message (with its
 * ms), one per chunk write batch (how long one transaction held D1), one per publishing step
 * (with its longest statement) and one per change pair computed.
 */
async function ingestMessages(persistDir, ingestionId) {
  const text = await readFile(join(persistDir, "logs", "api.log"), "utf8").catch(() => null);
  if (text === null) return null;
  const lines = [];
  for (const line of text.split("\n")) {
    const json = line.match(/\{"event":"(ingest_message|chunk_batch|finalize_step|change_pair)".*\}/)?.[0];
    if (!json) continue;
    try {
      const entry = JSON.parse(json);
      if (entry.ingestionId === ingestionId || entry.previousIngestionId === ingestionId) lines.push(entry);
    } catch {
      // A line cut by a concurrent write: skip it.
    }
  }
  const of = (event) => lines.filter((l) => l.event === event);
  const messages = of("ingest_message");
  const chunks = messages.filter((m) => m.kind === "chunk").map((m) => m.ms);
  const others = messages.filter((m) => m.kind !== "chunk").map((m) => m.ms);
  const batches = of("chunk_batch").map((b) => b.ms);
  const steps = of("finalize_step");
  const longest = steps.reduce((a, b) => (b.maxStatementMs > (a?.maxStatementMs ?? -1) ? b : a), null);
  return {
    summary: {
      "chunk messages": chunks.length,
      "chunk ms p50": percentile(chunks, 50),
      "chunk ms max": percentile(chunks, 100),
      "other messages (notification, finalize)": others.length,
      "other ms max": percentile(others, 100),
      "chunk batches": batches.length,
      "chunk batch ms p50": percentile(batches, 50),
      "chunk batch ms max": percentile(batches, 100),
      "longest publishing statement ms": longest?.maxStatementMs ?? null,
      "in step": longest?.step ?? null,
    },
    steps: steps.map(({ step, ms, statements, maxStatementMs, slowest }) => ({
      step,
      ms,
      statements,
      maxStatementMs,
      slowest,
    })),
    changePairs: of("change_pair").map(({ ingestionId: current, previousIngestionId, ms }) => ({
      current,
      previousIngestionId,
      ms,
    })),
  };
}

const finished = (instance) => new Promise((resolve) => instance.on("done", resolve));

/**
 * Runs `connections` readers of the cached `paths` and `d1Connections` uncached D1 readers (a
 * search in `searchYear`) together for `seconds` (baseline), then again from the moment a
 * `megabytes` file is notified until its ingestion is done. Resolves the rows (cached baseline,
 * cached during, then the D1 readers' two), what any errors were, the D1 readers' Server-Timing
 * rows, the chunk messages' times from the consumer log, and the ingestion's time from
 * notification to completed_at (under that read load).
 */
export async function readersDuringIngestion({
  stack,
  dir,
  tokens,
  paths,
  connections,
  d1Connections,
  searchYear,
  seconds,
  megabytes,
  log,
}) {
  const base = stack.apiUrl;
  const file = join(dir, `ingest-${megabytes}mb.csv`);
  log(`generating a ${megabytes} MB GEN file for ${INGEST_YEAR}…`);
  const facts = await writeSampleGenCsv(file, { bytes: megabytes * 1e6, year: INGEST_YEAR, seed: 11 });
  await putLocalObject({ file, key: `load/ingest-${megabytes}mb.csv`, persistDir: stack.persistDir });
  for (const [k, path] of paths.entries()) {
    await (await fetch(`${base}${path}`, { headers: { authorization: tokens[k % tokens.length] } })).arrayBuffer();
  }
  const cachedPath = (i) => paths[i % paths.length];
  const d1Note = d1Connections > 0 ? ` and ${d1Connections} uncached D1 readers (search, ${searchYear})` : "";
  const withD1 = (tag, secs) =>
    d1Connections > 0
      ? d1Readers(base, { tokens, connections: d1Connections, seconds: secs, year: searchYear, tag })
      : null;

  log(`${connections} readers of cached top-N${d1Note} for ${seconds} s, no ingestion (baseline)…`);
  const quietD1 = withD1("b", seconds);
  const quietCached = load(base, { pathAt: cachedPath, tokens, connections, seconds });
  const [quietResult, quietD1Result] = await Promise.all([
    finished(quietCached),
    quietD1 ? finished(quietD1.instance) : null,
  ]);
  const baseline = figures("cached top-N, no ingestion", quietResult);

  log(`${connections} readers of cached top-N${d1Note} while ${facts.rows} rows (${megabytes} MB) ingest…`);
  const notifiedAt = Date.now();
  const busyD1 = withD1("i", 3600);
  const readers = load(base, { pathAt: cachedPath, tokens, connections, seconds: 3600 });
  const running = Promise.all([finished(readers), busyD1 ? finished(busyD1.instance) : null]);
  const { ingestionId } = await notifyLocal(base, `load/ingest-${megabytes}mb.csv`);
  const done = await waitForIngestion(base, ingestionId, { timeoutMs: 10 * 60_000, intervalMs: 250 });
  readers.stop();
  busyD1?.instance.stop();
  const [busyResult, busyD1Result] = await running;
  const during = figures(`cached top-N during a ${megabytes} MB ingestion`, busyResult);
  if (done.status !== "done") throw new Error(`the ${megabytes} MB ingestion ended ${done.status}: ${done.error}`);
  const ingestSeconds = (done.completedAt - notifiedAt) / 1000;
  const rows = [baseline, during];
  const results = [quietResult, busyResult];
  const serverTiming = [];
  if (quietD1 && busyD1) {
    rows.push(figures("uncached D1 search, no ingestion", quietD1Result));
    rows.push(figures(`uncached D1 search during a ${megabytes} MB ingestion`, busyD1Result));
    results.push(quietD1Result, busyD1Result);
    serverTiming.push(quietD1.serverTiming("uncached D1 search, no ingestion"));
    serverTiming.push(busyD1.serverTiming(`uncached D1 search during a ${megabytes} MB ingestion`));
  }
  // The last chunk's log line is written just after it completes the ingestion: let it land.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const messages = await ingestMessages(stack.persistDir, ingestionId);
  const errors = rows.flatMap((row, k) => (row.errors > 0 ? [errorDetail(row.scenario, results[k])] : []));
  return { rows, errors, serverTiming, messages, ingestSeconds, ingestedRows: facts.rows };
}
