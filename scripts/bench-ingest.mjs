// `npm run bench:ingest`: end-to-end ingestion figures on this machine, printed side by side with
// a node:sqlite baseline in one run. Not a test: it asserts nothing, it measures.
//   object in local R2 -> notification -> queue consumer (workerd) -> D1 -> data visible
// Options: --mb 100 (size of the generated file), --skip-real, --keep (keep the temp dir).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { sqliteBaseline } from "../bench/ingest-baseline.mjs";
import { notifyLocal, putLocalObject, waitForIngestion } from "./lib/local-ingest.mjs";
import { ROOT } from "./lib/processes.mjs";
import { writeSampleGenCsv } from "./lib/sample.mjs";
import { startStack } from "./lib/stack.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const megabytes = Number(option("mb", "100"));
const realFile = resolve(ROOT, "../shared/data/egrid2023_gen23.csv");
const BASELINE_RUNS = 3;

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
  const started = performance.now();
  const { ingestionId } = await notifyLocal(stack.apiUrl, key);
  const done = await waitForIngestion(stack.apiUrl, ingestionId, { intervalMs: 50, timeoutMs: 20 * 60_000 });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const record = await (await fetch(`${stack.apiUrl}/__dev/ingestions/${ingestionId}`)).json();
  if (done.status !== "done") throw new Error(`${label}: ingestion ${done.status}: ${done.error}`);
  return {
    label,
    mb: bytes / 1e6,
    rows: done.rowsLoaded,
    chunks: record.ingestion.chunk_count,
    seconds,
    putSeconds,
    rowsPerSecond: done.rowsLoaded / seconds,
    statements: record.ingestion.d1_statements,
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
  const facts = await writeSampleGenCsv(generated, { bytes: megabytes * 1e6, year: 2022, seed: 7 });
  process.stderr.write(`starting the local stack…\n`);
  stack = await startStack({ persistDir: join(dir, "state"), apiPort: 0, web: false, seed: "none", quiet: true });
  const files = [];
  if (!args.includes("--skip-real") && existsSync(realFile))
    files.push(["real eGRID 2023 file", realFile, "bench/egrid2023_gen23.csv"]);
  else process.stderr.write("real file absent or skipped: ../shared/data/egrid2023_gen23.csv\n");
  files.push([`generated ${megabytes} MB file`, generated, "bench/generated.csv"]);
  for (const [label, file, key] of files) {
    process.stderr.write(`ingesting ${label}…\n`);
    results.push(await ingest(stack, label, file, key));
    // The baseline's own rate moves by half from run to run on a shared machine; its median of
    // BASELINE_RUNS runs (all printed) keeps the ratio from following one lucky or unlucky run.
    const median = async (what, options) => {
      const runs = [];
      for (let i = 1; i <= BASELINE_RUNS; i++) {
        process.stderr.write(`baseline (node:sqlite, ${what}) for ${label}, run ${i} of ${BASELINE_RUNS}…\n`);
        runs.push(await sqliteBaseline(ROOT, file, options));
      }
      runs.sort((a, b) => b.rows / b.seconds - a.rows / a.seconds);
      return { ...runs[Math.floor(runs.length / 2)], runs };
    };
    baselines.push(await median("generator rows", {}));
    wholeJobs.push(await median("whole job", { plants: true }));
  }
  if (results.at(-1).rows !== facts.rows) {
    process.stderr.write(`WARNING: generated file has ${facts.rows} rows but ${results.at(-1).rows} were loaded\n`);
  }
} finally {
  await stack?.stop();
  if (!args.includes("--keep")) await rm(dir, { recursive: true, force: true });
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
  "visible after s",
  "rows/s",
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
  `\nnode:sqlite baseline runs (rows/s): ${results
    .map((r, i) => `${r.label}: ${baselines[i].runs.map((b) => fmt(b.rows / b.seconds)).join(" / ")}`)
    .join("; ")}; whole job: ${results
    .map((r, i) => `${r.label}: ${wholeJobs[i].runs.map((b) => fmt(b.rows / b.seconds)).join(" / ")}`)
    .join("; ")}.`,
);
console.log(
  "sqlite: the file's generator rows written in one transaction (the target's baseline). whole job: the same, plus",
);
console.log("the plant totals into plants and its top-N indexes in that transaction (for comparison only).");
console.log("visible after: from the notification to the ingestion record 'done' (the dataset is published in that");
console.log(
  "same D1 batch). Putting the object into local R2 with wrangler took " +
    results.map((r) => `${fmt(r.putSeconds, 1)} s`).join(" / ") +
    ".",
);
console.log(
  "workerd peak RSS: the whole local runtime process (all isolates), sampled every 50 ms; (+growth during the run).",
);
