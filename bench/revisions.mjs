// `npm run bench:revisions`: how much D1 storage one data year takes as its owner uploads revision
// after revision. Not a test: it measures. A local stack on free ports and a temporary state
// directory; each revision is the real eGRID 2023 GEN file with one value edited (so its eTag
// differs), uploaded alternately under one key (overwritten) and under a new key (as API uploads
// are), each followed until loaded and until retention's purges have settled. Prints the database
// size after 1, 3 and N revisions beside the size of one version (the database after revision 1).
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { parseArgs } from "node:util";
import { notifyLocal, putLocalObject, waitForIngestion } from "../scripts/lib/local-ingest.ts";
import { ROOT } from "../scripts/lib/processes.ts";
import { startStack } from "../scripts/lib/stack.ts";

const usage = `usage: npm run bench:revisions -- [--revisions N] [--file GEN.csv] [--keep]
  --revisions N  revisions of one year to upload (default 20; sizes are printed after 1, 3 and N)
  --file PATH    the GEN-sheet CSV to revise (default data/egrid/egrid2023_gen23.csv)
  --keep         keep the temporary state directory (its path is printed)`;

const { values } = parseArgs({
  options: {
    revisions: { type: "string", default: "20" },
    file: { type: "string", default: join(ROOT, "data", "egrid", "egrid2023_gen23.csv") },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const revisions = Number(values.revisions);
if (!Number.isInteger(revisions) || revisions < 3) {
  console.error(
    `bench:revisions: --revisions must be a whole number of at least 3, not "${values.revisions}"\n${usage}`,
  );
  process.exit(2);
}
const file = resolve(process.env.INIT_CWD ?? process.cwd(), values.file);
if (!existsSync(file)) {
  console.error(`bench:revisions: ${file} not found (data/egrid/ ships the real files)`);
  process.exit(1);
}
const log = (m) => process.stderr.write(`[bench] ${m}\n`);
const MB = 1024 * 1024;

/** The file with the last field of its first data row (GENNTAN) set to `n`: new bytes, new eTag. */
function revise(text, n) {
  const lines = text.split("\n");
  const row = lines.findIndex((line, i) => i >= 2 && line.trim() !== "");
  const cells = (lines[row] ?? "").replace(/\r$/, "").split(",");
  cells[cells.length - 1] = String(n);
  lines[row] = `${cells.join(",")}${lines[row]?.endsWith("\r") ? "\r" : ""}`;
  return lines.join("\n");
}

/** The local D1 database file of the stack (Miniflare keeps one .sqlite per database). */
function d1File(persistDir) {
  const dir = join(persistDir, "v3", "d1", "miniflare-D1DatabaseObject");
  const files = readdirSync(dir).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (files.length !== 1) throw new Error(`expected one D1 .sqlite in ${dir}, found ${files.join(", ") || "none"}`);
  return join(dir, files[0]);
}

/** Reads the live database (read-only, beside the running Worker). */
function query(path, sql) {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

/** Pages in use (page_count - freelist_count) and the file on disk (with its WAL). */
function sizes(path) {
  const [{ page_size }] = query(path, "PRAGMA page_size");
  const [{ page_count }] = query(path, "PRAGMA page_count");
  const [{ freelist_count }] = query(path, "PRAGMA freelist_count");
  const wal = existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0;
  return { used: (page_count - freelist_count) * page_size, file: statSync(path).size + wal };
}

const VERSIONS_WITH_ROWS = `SELECT count(*) AS n FROM ingestions AS i WHERE
  EXISTS (SELECT 1 FROM generators WHERE ingestion_id = i.id) OR EXISTS (SELECT 1 FROM plants WHERE ingestion_id = i.id)
  OR EXISTS (SELECT 1 FROM plant_parts WHERE ingestion_id = i.id)`;

/** Waits until no ingestion is in flight and the versions with rows stay the same for 2 s (purges done). */
async function settle(path) {
  let last = -1;
  let stableSince = Date.now();
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    const [{ n }] = query(path, VERSIONS_WITH_ROWS);
    const [{ busy }] = query(path, "SELECT count(*) AS busy FROM ingestions WHERE status IN ('queued', 'processing')");
    if (n !== last || busy > 0) {
      last = n;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= 2000) return n;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("purges did not settle within 2 minutes");
}

const dir = await mkdtemp(join(tmpdir(), "egrid-bench-revisions-"));
const persistDir = join(dir, "state");
log(`starting a local stack in ${persistDir}…`);
const stack = await startStack({ persistDir, apiPort: 0, web: false, seed: "none", quiet: true });
const rows = [];
try {
  const text = await readFile(file, "utf8");
  const db = d1File(persistDir);
  const empty = sizes(db);
  for (let n = 1; n <= revisions; n++) {
    // Odd revisions overwrite one key; even ones get a key of their own.
    const key = n % 2 === 1 ? "uploads/revised.csv" : `uploads/revision-${n}.csv`;
    const revision = join(dir, "revision.csv");
    await writeFile(revision, revise(text, n));
    const started = performance.now();
    await putLocalObject({ file: revision, key, persistDir });
    const { ingestionId } = await notifyLocal(stack.apiUrl, key);
    const done = await waitForIngestion(stack.apiUrl, ingestionId);
    if (done.status !== "done") throw new Error(`revision ${n} ended ${done.status}: ${done.error}`);
    const versions = await settle(db);
    const seconds = (performance.now() - started) / 1000;
    rows.push({ n, versions, seconds, ...sizes(db) });
    log(`revision ${n}: loaded and settled in ${seconds.toFixed(1)} s; ${versions} version(s) with rows`);
  }
  const one = rows[0].used - empty.used;
  const show = [1, 3, revisions].map((n) => rows[n - 1]);
  console.log(`\nD1 size as one year is revised (${file}, ${(statSync(file).size / MB).toFixed(1)} MB of CSV)`);
  console.log(`empty database: ${(empty.used / MB).toFixed(2)} MB in use; one version: ${(one / MB).toFixed(2)} MB\n`);
  console.log("revisions | versions with rows | MB in use | MB file (+WAL) | data / one version");
  for (const r of show) {
    const ratio = (r.used - empty.used) / one;
    console.log(
      `${String(r.n).padStart(9)} | ${String(r.versions).padStart(18)} | ${(r.used / MB).toFixed(2).padStart(9)} | ${(r.file / MB).toFixed(2).padStart(14)} | ${ratio.toFixed(2).padStart(18)}`,
    );
  }
  console.log("\n(data = MB in use minus the empty database; target: within ~3 versions' size)");
} finally {
  await stack.stop();
  if (values.keep) log(`kept ${dir}`);
  else await rm(dir, { recursive: true, force: true });
}
