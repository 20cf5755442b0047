// bench:load's second part: do readers stall while a big file ingests? Cached top-N p50/p99 with
// no ingestion (the baseline), then the same load while a generated file of LOAD_INGEST_MB goes
// through the real pipeline (local R2 -> notification -> queue consumer -> D1), in one run.
import { join } from "node:path";
import autocannon from "autocannon";
import { notifyLocal, putLocalObject, waitForIngestion } from "../scripts/lib/local-ingest.ts";
import { writeSampleGenCsv } from "../scripts/lib/sample.ts";

/** The ingested file's year: not the year the readers read, so their answers stay cached. */
const INGEST_YEAR = 2021;

function load(base, { paths, tokens, connections, seconds }) {
  let i = 0;
  const request = {
    setupRequest: (req) => {
      i += 1;
      return {
        ...req,
        path: paths[i % paths.length],
        headers: { ...req.headers, authorization: tokens[i % tokens.length] },
      };
    },
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
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/**
 * Runs `connections` readers of the cached `paths` for `seconds` (baseline), then again from the
 * moment a `megabytes` file is notified until its ingestion is done. Resolves both rows and the
 * ingestion's time from notification to completed_at (under that read load).
 */
export async function readersDuringIngestion({ stack, dir, tokens, paths, connections, seconds, megabytes, log }) {
  const base = stack.apiUrl;
  const file = join(dir, `ingest-${megabytes}mb.csv`);
  log(`generating a ${megabytes} MB GEN file for ${INGEST_YEAR}…`);
  const facts = await writeSampleGenCsv(file, { bytes: megabytes * 1e6, year: INGEST_YEAR, seed: 11 });
  await putLocalObject({ file, key: `load/ingest-${megabytes}mb.csv`, persistDir: stack.persistDir });
  for (const [k, path] of paths.entries()) {
    await (await fetch(`${base}${path}`, { headers: { authorization: tokens[k % tokens.length] } })).arrayBuffer();
  }

  log(`${connections} readers of cached top-N for ${seconds} s, no ingestion (baseline)…`);
  const baseline = figures("cached top-N, no ingestion", await load(base, { paths, tokens, connections, seconds }));

  log(`${connections} readers of cached top-N while ${facts.rows} rows (${megabytes} MB) ingest…`);
  const notifiedAt = Date.now();
  const readers = load(base, { paths, tokens, connections, seconds: 3600 });
  const result = new Promise((resolve) => readers.on("done", resolve));
  const { ingestionId } = await notifyLocal(base, `load/ingest-${megabytes}mb.csv`);
  const done = await waitForIngestion(base, ingestionId, { timeoutMs: 10 * 60_000, intervalMs: 250 });
  readers.stop();
  const during = figures(`cached top-N during a ${megabytes} MB ingestion`, await result);
  if (done.status !== "done") throw new Error(`the ${megabytes} MB ingestion ended ${done.status}: ${done.error}`);
  const ingestSeconds = (done.completedAt - notifiedAt) / 1000;
  return { rows: [baseline, during], ingestSeconds, ingestedRows: facts.rows };
}
