// `npm run upload -- <file.csv> [--wait] [--key k] [--s3]`, `npm run upload -- --delete KEY [--wait] [--s3]`
// Local (default): puts the file into the running stack's local R2 bucket and sends the R2
// notification to its ingest queue (Miniflare sends none); --wait follows it to the end.
// --s3: uploads through the S3 API (R2's S3 endpoint, MinIO) with a progress bar; in
// production R2 itself then notifies the queue. --delete deletes an object the same ways (locally
// sending the object-delete notification R2 would send), which withdraws its data.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { fail as exit, parseCommandLineWithPositionals } from "./lib/cli.ts";
import {
  defaultObjectKey,
  deleteLocalObject,
  notifyLocal,
  putLocalObject,
  readStackInfo,
  uploadsBucketName,
  waitForIngestion,
} from "./lib/local-ingest.ts";
import { ROOT } from "./lib/processes.ts";
import { deleteObjectFromS3, s3ConfigFromEnv, uploadFileToS3 } from "./lib/s3-upload.ts";
import { DEFAULT_PERSIST_DIR } from "./lib/stack.ts";

const usage = `usage: npm run upload -- <file.csv> [--wait] [--key KEY] [--s3] [--persist-to DIR] [--api URL]
       npm run upload -- --delete KEY [--wait] [--s3] [--persist-to DIR] [--api URL]
  --wait        follow the ingestion until it ends and print its summary (local only); exit 0 when
                done, 3 when held (loaded, not published: see the reason), 1 when nothing loaded
  --delete KEY  delete the object KEY instead: its data is withdrawn and its year falls back to
                the year's previous file (or has no data); with --wait, follow the retraction
  --key KEY     object key in the bucket (default uploads/<file name>)
  --s3          upload through the S3 API instead: needs S3_ENDPOINT, S3_BUCKET,
                S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY (S3_REGION defaults to auto)
  --persist-to  the local stack's state directory (default ${DEFAULT_PERSIST_DIR})
  --api URL     the local API, when not the one recorded by \`npm start\``;

const fail = (message: string, code = 2): never => exit("upload", message, code === 2 ? usage : undefined, code);
const fmt = (n: unknown) => (typeof n === "number" ? n.toLocaleString("en-US") : "?");
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The S3 settings --s3 needs, or exit 1 naming those missing. */
function s3Config() {
  const { config, missing } = s3ConfigFromEnv();
  if (missing.length) fail(`--s3 needs ${missing.join(", ")} in the environment (see docs/operations.md)`, 1);
  return config;
}

/** A line redrawn in place on a terminal; elsewhere (CI logs) one line per change. */
let lastLine = "";
function status(line: string) {
  if (line !== lastLine) process.stderr.write(process.stderr.isTTY ? `\r${line.padEnd(60)}` : `${line}\n`);
  lastLine = line;
}

const { values, positionals } = parseCommandLineWithPositionals("upload", usage, {
  wait: { type: "boolean", default: false },
  key: { type: "string" },
  delete: { type: "string" },
  s3: { type: "boolean", default: false },
  "persist-to": { type: "string", default: DEFAULT_PERSIST_DIR },
  api: { type: "string" },
});
if (values.delete !== undefined) {
  if (positionals.length) fail("--delete takes the object key, not a file: --delete uploads/<name>.csv");
  if (values.key) fail("--delete names the key itself; leave out --key");
  if (!values.delete) fail("--delete needs the object key, e.g. --delete uploads/egrid2023_gen23.csv");
  await deleteObject(values.delete);
}
if (positionals.length !== 1)
  fail(positionals.length ? "give one file at a time" : "which file? give the path of a CSV file");
// npm runs scripts from the package root; INIT_CWD is where the user typed the command.
const file = resolve(process.env.INIT_CWD ?? process.cwd(), positionals[0] ?? "");
if (!/\.csv$/i.test(file)) {
  fail(`${positionals[0]} is not a .csv file: export the GEN sheet of the eGRID workbook as CSV first`);
}
if (!existsSync(file)) fail(`file not found: ${file}`, 1);
if (!statSync(file).isFile()) fail(`not a file: ${file}`, 1);
const key = values.key ?? defaultObjectKey(file);
if (!/\.csv$/i.test(key)) fail(`--key must end in .csv (the pipeline only ingests .csv objects): ${key}`);
const size = statSync(file).size;

if (values.s3) {
  const config = s3Config();
  if (values.wait)
    console.error("upload: --wait follows local ingestions only; in production use GET /api/v1/ingestions/{id}.");
  const started = performance.now();
  // A bar of 30 cells; on a log, one line per tenth.
  let tenth = -1;
  const bar = ({ loaded, total }: { loaded: number; total: number }) => {
    const fraction = total > 0 ? loaded / total : 1;
    if (!process.stderr.isTTY && Math.floor(fraction * 10) === tenth) return;
    tenth = Math.floor(fraction * 10);
    const filled = Math.round(fraction * 30);
    const rate = `${mb(loaded / Math.max((performance.now() - started) / 1000, 1e-3))}/s`;
    const percent = `${String(Math.floor(fraction * 100)).padStart(3)}%`;
    status(`${key} [${"#".repeat(filled)}${"-".repeat(30 - filled)}] ${percent} ${mb(loaded)} / ${mb(total)} ${rate}`);
    if (loaded === total && process.stderr.isTTY) process.stderr.write("\n");
  };
  try {
    const result = await uploadFileToS3({ file, key, ...config, onProgress: bar });
    console.log(
      `uploaded ${file} to s3://${config.bucket}/${key} (${fmt(result.bytes)} bytes, ${result.parts} part(s), ETag ${result.etag}).`,
    );
  } catch (error) {
    if (process.stderr.isTTY) process.stderr.write("\n");
    fail((error as Error).message, 1);
  }
  process.exit(0);
}

const { persistDir, apiUrl } = await reachLocalStack();

const started = performance.now();
const startedAt = Date.now();
const bucket = uploadsBucketName();
await putLocalObject({ file, key, persistDir }).catch((error) =>
  fail(`could not write to the local R2 bucket in ${persistDir}: ${error.message}`, 1),
);
const { ingestionId } = await notifyLocal(apiUrl, key).catch((error) => fail(error.message, 1));
console.log(`uploaded ${file} (${fmt(size)} bytes) to local R2 ${bucket}/${key}; ingestion ${ingestionId} queued.`);
if (!values.wait) {
  console.log(`follow it: curl ${apiUrl}/__dev/ingestions/${ingestionId}  (or upload with --wait)`);
  process.exit(0);
}

const ingestion = await waitForIngestion(apiUrl, ingestionId, {
  uploadedSince: startedAt,
  onProgress(i) {
    const chunks = i.chunkCount ? `, chunk ${fmt(i.chunksDone)}/${fmt(i.chunkCount)}` : "";
    status(`  ${i.status}${chunks}, ${fmt(i.rowsRead)} rows read`);
  },
  onBusy: () => status("  the Worker is busy (a long consumer step); still waiting…"),
}).catch((error) => fail(error.message, 1));
if (process.stderr.isTTY) process.stderr.write("\n");

const seconds = ((performance.now() - started) / 1000).toFixed(1);
// Same bucket, key and ETag is the same ingestion: a re-upload of the same bytes finds the old
// record, and counts as a new upload (worker/ingest/start.ts): published again when its rows
// are still stored.
const earlier = ingestion.completedAt !== null && ingestion.completedAt < startedAt;
const outcome = !earlier
  ? `${ingestion.status} after ${seconds} s`
  : ingestion.status === "done" && ingestion.active
    ? "loaded earlier; published again (its rows were kept, nothing reloaded)"
    : ingestion.status === "done"
      ? `loaded earlier; not published: ${ingestion.dataYear} serves a file uploaded later`
      : `${ingestion.status} earlier`;
console.log(`ingestion ${ingestionId}: ${outcome}`);
if (ingestion.status === "held") console.log(`  ${ingestion.holdReason}`);
if (ingestion.status === "done" || ingestion.rowsRead > 0) {
  console.log(
    `  data year ${ingestion.dataYear ?? "?"}: ${fmt(ingestion.rowsRead)} rows read, ${fmt(ingestion.rowsLoaded)} loaded, ` +
      `${fmt(ingestion.rowsRejected)} rejected, ${fmt(ingestion.plantCount)} plants`,
  );
}
if (ingestion.error) console.log(`  ${ingestion.error}`);
if (ingestion.rowsRejected > 0) {
  console.log(`  first rejected rows (of ${fmt(ingestion.rowsRejected)}):`);
  for (const r of ingestion.rejected.slice(0, 5)) console.log(`    line ${r.line}: ${r.reason}`);
}
// Scripts uploading data want to know when nothing was loaded (failed, skipped, retracted: 1)
// and when it loaded but was held instead of published (3).
process.exit(ingestion.status === "done" ? 0 : ingestion.status === "held" ? 3 : 1);

/** The local stack's state directory and API URL, once its API answers. */
async function reachLocalStack() {
  const persistDir = resolve(ROOT, values["persist-to"]);
  const recorded = (await readStackInfo(persistDir))?.apiUrl;
  const apiUrl = (values.api ?? recorded ?? `http://127.0.0.1:${process.env.API_PORT ?? 8787}`).replace(/\/+$/, "");
  const error = await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(30_000) }).then(
    () => null,
    (e) => e,
  );
  if (error?.cause?.code === "ECONNREFUSED")
    fail(
      `no local stack answers at ${apiUrl}. Start it with \`npm start\` (in another terminal), then run this again.`,
      1,
    );
  if (error)
    fail(
      `the local stack at ${apiUrl} does not answer (${error.name}): busy with a large ingestion? Try again later.`,
      1,
    );
  return { persistDir, apiUrl };
}

/** --delete KEY: deletes the object and, locally, sends R2's object-delete notification. Exits. */
async function deleteObject(key: string): Promise<never> {
  if (values.s3) {
    const config = s3Config();
    await deleteObjectFromS3({ key, ...config }).catch((error) => fail(error.message, 1));
    console.log(`deleted s3://${config.bucket}/${key}; R2 notifies the ingest queue, which withdraws its data.`);
    process.exit(0);
  }
  const { persistDir, apiUrl } = await reachLocalStack();
  const bucket = uploadsBucketName();
  await deleteLocalObject({ key, persistDir }).catch((error) =>
    fail(`could not delete from the local R2 bucket in ${persistDir}: ${error.message}`, 1),
  );
  const { ingestionIds } = await notifyLocal(apiUrl, key, "DeleteObject").catch((error) => fail(error.message, 1));
  if (ingestionIds.length === 0) {
    console.log(`deleted local R2 ${bucket}/${key}; no version of it was loaded or loading, so no data changed.`);
    process.exit(0);
  }
  console.log(`deleted local R2 ${bucket}/${key}; retracting ingestion(s) ${ingestionIds.join(", ")}.`);
  if (!values.wait) {
    console.log(`follow it: curl ${apiUrl}/__dev/ingestions/${ingestionIds[0]}  (or delete with --wait)`);
    process.exit(0);
  }
  // Versions still queued, processing, done or held are loaded or loading: not retracted yet.
  const live = new Set(["queued", "processing", "done", "held"]);
  const ended = await Promise.all(
    ingestionIds.map((id) =>
      waitForIngestion(apiUrl, id, { timeoutMs: 5 * 60_000, until: (i) => !live.has(i.status) }),
    ),
  ).catch((error) => fail(error.message, 1));
  for (const i of ended) console.log(`ingestion ${i.id}: ${i.status} (data year ${i.dataYear ?? "?"})`);
  process.exit(ended.every((i) => i.status === "retracted") ? 0 : 1);
}
