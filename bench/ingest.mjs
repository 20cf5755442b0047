// `npm run bench:ingest`: end-to-end ingestion figures on this machine, printed side by side with
// a node:sqlite baseline in one run. Not a test: it asserts nothing, it measures.
//   object in local R2 -> notification -> queue consumer (workerd) -> D1 -> data visible
// Options: see --help.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseCommandLine, positiveNumber } from "../scripts/lib/cli.ts";
import { notifyLocal, putLocalObject, waitForIngestion } from "../scripts/lib/local-ingest.ts";
import { ROOT } from "../scripts/lib/processes.ts";
import { writeSampleGenCsv } from "../scripts/lib/sample.ts";
import { startStack } from "../scripts/lib/stack.ts";
import { sqliteBaseline } from "./ingest-baseline.mjs";

const args = parseCommandLine(
  "bench:ingest",
  `usage: npm run bench:ingest -- [--mb 100] [--runs 3] [--skip-real] [--full] [--keep] [--help]

Measures ingestion end to end on this machine: a file put into local R2, the notification R2
would send, the queue consumer in workerd, D1, until the data is visible (the ingestion's
completed_at). Files: the real data/egrid/egrid2023_gen23.csv and a generated (synthetic) GEN
file of --mb megabytes. Each is ingested --runs times, each run followed by two node:sqlite
baselines (the same rows written in one transaction; and the "whole job", plus plant totals),
and the medians are compared. Prints rows/s, D1 statements, workerd peak RSS and the
pipeline/SQLite ratio. Starts its own stack (API only) in a temporary directory; the default
run takes a few minutes.

Options:
  --mb N        size of the generated file in MB (default 100)
  --runs N      runs of the pipeline and of each baseline per file (default 3)
  --skip-real   leave out the real 2023 file
  --full        generate the 17-column GEN layout (ORISPL, FUELG1, NAMEPCAP, ...) instead of six,
                so publishing also precomputes the per-fuel tables
  --keep        keep the temporary directory ($TMPDIR/egrid-bench-ingest-*: files, state, logs)
  -h, --help    this text; runs nothing

Environment: none of its own (wrangler's variables apply).`,
  {
    mb: { type: "string", default: "100" },
    runs: { type: "string", default: "3" },
    "skip-real": { type: "boolean", default: false },
    full: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
);
const megabytes = positiveNumber("bench:ingest", "--mb", args.mb);
const realFile = resolve(ROOT, "data/egrid/egrid2023_gen23.csv");
/** Runs of the pipeline and of each baseline per file, interleaved; the medians are compared. */
const RUNS = Math.round(positiveNumber("bench:ingest", "--runs", args.runs));

/** workerd processes started under this one (Miniflare's runtime, where the consumer runs). */
function workerdPids() {
  const parents = new Map();
  const names = new Map();
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      parents.set(pid, /PPid:\s+(\d+)/.exec(status)?.[1]);
      names.set(pid, /Name:\s+(\S+)/.exec(status)?.[1]);
    } catch {}
  }
  const mine = (pid) => {
    for (let p = pid; p && p !== "1"; p = parents.get(p)) if (p === String(process.pid)) return true;
    return false;
  };
  return [...names].filter(([pid, name]) => name === "workerd" && mine(pid)).map(([pid]) => pid);
}

function rssMb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function ingest(stack, label, file, key) {
  const bytes = statSync(file).size;
  const putStarted = performance.now();
  await putLocalObject({ file, key, persistDir: stack.persistDir });
  const putSeconds = (performance.now() - putStarted) / 1000;
  const pids = workerdPids();
  const baseline = Math.max(0, ...pids.map(rssMb));
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, ...pids.map(rssMb));
  }, 50);
  const notifiedAt = Date.now();
  const { ingestionId } = await notifyLocal(stack.apiUrl, key);
  const done = await waitForIngestion(stack.apiUrl, ingestionId, { intervalMs: 50, timeoutMs: 20 * 60_000 });
  // Visible when the publishing transaction committed: its completed_at (the same clock), not the
  // poll that saw it, which came up to 50 ms later (a sixth of the real file's time). Polling
  // faster would take the consumer's thread from it.
  const seconds = (Number(done.completedAt) - notifiedAt) / 1000;
  clearInterval(sampler);
  const record = await (await fetch(`${stack.apiUrl}/__dev/ingestions/${ingestionId}`)).json();
  if (done.status !== "done") throw new Error(`${label}: ingestion ${done.status}: ${done.error}`);
  return {
    label,
    mb: bytes / 1e6,
    rows: done.rowsLoaded,
    chunks: record.chunks.total,
    seconds,
    putSeconds,
    rowsPerSecond: done.rowsLoaded / seconds,
    statements: record.progress.d1Statements,
    peakRssMb: peak,
    rssGrowthMb: peak - baseline,
  };
}

const dir = await mkdtemp(join(tmpdir(), "egrid-bench-ingest-"));
const results = [];
const baselines = [];
// For comparison only (the target is against `baselines`): SQLite also building the plant totals.
const wholeJobs = [];
let stack;
try {
  const generated = join(dir, `gen-${megabytes}mb.csv`);
  process.stderr.write(`generating a ${megabytes} MB GEN file…\n`);
  const facts = await writeSampleGenCsv(generated, { bytes: megabytes * 1e6, year: 2022, seed: 7, full: args.full });
  process.stderr.write(`starting the local stack…\n`);
  stack = await startStack({ persistDir: join(dir, "state"), apiPort: 0, web: false, seed: "none", quiet: true });
  const files = [];
  if (!args["skip-real"] && existsSync(realFile))
    files.push(["real eGRID 2023 file", realFile, "bench/egrid2023_gen23.csv"]);
  else process.stderr.write("real file skipped: data/egrid/egrid2023_gen23.csv\n");
  files.push([`generated ${megabytes} MB file`, generated, "bench/generated.csv"]);
  // Both the pipeline and the baseline move by a tenth or more from run to run on a shared
  // machine, so each runs RUNS times, interleaved (pipeline, baseline, whole job, then again), and
  // the medians are compared; every run is printed.
  const median = (runs, rate) => [...runs].sort((a, b) => rate(b) - rate(a))[Math.floor(runs.length / 2)];
  for (const [label, file, key] of files) {
    const pipelineRuns = [];
    const baselineRuns = [];
    const wholeJobRuns = [];
    for (let i = 1; i <= RUNS; i++) {
      process.stderr.write(`ingesting ${label}, run ${i} of ${RUNS}…\n`);
      // Another key each time: a new version of a new object, ingested afresh.
      pipelineRuns.push(await ingest(stack, label, file, key.replace(/\.csv$/, `-${i}.csv`)));
      process.stderr.write(`baseline (node:sqlite, generator rows) for ${label}, run ${i} of ${RUNS}…\n`);
      baselineRuns.push(await sqliteBaseline(ROOT, file, {}));
      process.stderr.write(`baseline (node:sqlite, whole job) for ${label}, run ${i} of ${RUNS}…\n`);
      wholeJobRuns.push(await sqliteBaseline(ROOT, file, { plants: true }));
    }
    const pipeline = median(pipelineRuns, (r) => r.rowsPerSecond);
    results.push({
      ...pipeline,
      runs: pipelineRuns,
      peakRssMb: Math.max(...pipelineRuns.map((r) => r.peakRssMb)),
      rssGrowthMb: Math.max(...pipelineRuns.map((r) => r.rssGrowthMb)),
    });
    baselines.push({ ...median(baselineRuns, (b) => b.rows / b.seconds), runs: baselineRuns });
    wholeJobs.push({ ...median(wholeJobRuns, (b) => b.rows / b.seconds), runs: wholeJobRuns });
  }
  if (results.at(-1).rows !== facts.rows) {
    process.stderr.write(`WARNING: generated file has ${facts.rows} rows but ${results.at(-1).rows} were loaded\n`);
  }
} finally {
  await stack?.stop();
  if (!args.keep) await rm(dir, { recursive: true, force: true });
}

const fmt = (n, d = 0) => n.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
console.log(
  "\nIngestion, end to end on Miniflare (notify -> consumer -> D1 -> visible) vs node:sqlite in one transaction",
);
console.log(`node ${process.version}, ${process.platform}/${process.arch}, ${new Date().toISOString()}\n`);
const header = [
  "file",
  "MB",
  "rows",
  "chunks",
  "visible after s (median)",
  "rows/s (median)",
  "D1 statements",
  "workerd peak RSS MB",
  "sqlite rows/s (median)",
  "pipeline / sqlite",
  "sqlite whole job rows/s",
  "pipeline / whole job",
];
const lines = results.map((r, i) => {
  const base = baselines[i];
  const baseRate = base.rows / base.seconds;
  return [
    r.label,
    fmt(r.mb, 1),
    fmt(r.rows),
    fmt(r.chunks),
    fmt(r.seconds, 2),
    fmt(r.rowsPerSecond),
    fmt(r.statements),
    `${fmt(r.peakRssMb)} (+${fmt(r.rssGrowthMb)})`,
    fmt(baseRate),
    `${fmt((100 * r.rowsPerSecond) / baseRate, 1)}%`,
    fmt(wholeJobs[i].rows / wholeJobs[i].seconds),
    `${fmt((100 * r.rowsPerSecond * wholeJobs[i].seconds) / wholeJobs[i].rows, 1)}%`,
  ];
});
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const row = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
console.log(row(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const l of lines) console.log(row(l));
console.log(
  `\npipeline runs (s, in order): ${results.map((r) => `${r.label}: ${r.runs.map((p) => fmt(p.seconds, 2)).join(" / ")}`).join("; ")}.`,
);
console.log(
  `node:sqlite baseline runs (rows/s, in order): ${results
    .map((r, i) => `${r.label}: ${baselines[i].runs.map((b) => fmt(b.rows / b.seconds)).join(" / ")}`)
    .join("; ")}; whole job: ${results
    .map((r, i) => `${r.label}: ${wholeJobs[i].runs.map((b) => fmt(b.rows / b.seconds)).join(" / ")}`)
    .join("; ")}.`,
);
console.log(
  "sqlite: the file's generator rows written in one transaction (the target's baseline). whole job: the same, plus",
);
console.log("the plant totals into plants and its top-N index in that transaction (for comparison only).");
console.log(
  `Each file: ${RUNS} runs of the pipeline, each followed by one of each baseline; medians shown, every run listed.`,
);
console.log("visible after: from sending the notification to the ingestion's completed_at, the time of the D1 batch");
console.log(
  "that publishes it. Putting the object into local R2 with wrangler took " +
    results.map((r) => `${fmt(r.putSeconds, 1)} s`).join(" / ") +
    " (median run)" +
    ".",
);
console.log(
  "workerd peak RSS: the whole local runtime process (all isolates), sampled every 50 ms; (+growth during the run).",
);
