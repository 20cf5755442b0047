// What a local stack loads on start, and loading it through the real pipeline: the object is put
// into local R2, the notification R2 would send goes to the ingest queue, the consumer writes D1.
// A file is loaded once: on later starts its ingestion is found through the dev routes and the
// API (the state persisted in .wrangler/state), never through a marker file of our own.
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import {
  defaultObjectKey,
  FINAL_STATUSES,
  getIngestion,
  type Ingestion,
  notifyLocal,
  putLocalObject,
  waitForIngestion,
} from "./local-ingest.ts";
import { ROOT } from "./processes.ts";
import { writeSampleGenCsv } from "./sample.ts";

/** The real EPA files shipped in data/egrid/ (see its README), newest first: loaded in this order. */
export const REAL_FILES = [2023, 2022, 2021].map((year) => ({
  year,
  path: join(ROOT, "data", "egrid", `egrid${year}_gen${String(year).slice(2)}.csv`),
}));

export interface SeedFile {
  /** The data year when known before loading (the shipped files and the sample). */
  year: number | null;
  path: string;
  key: string;
  synthetic: boolean;
}

export interface SeedResult extends SeedFile {
  ingestionId: string;
  status: string;
  error: string | null;
  /** Why a held file was not published (status "held"). */
  holdReason?: string | null;
  rowsLoaded: number;
  plantCount: number | null;
  /** False when the file's ingestion was already done (a later start). */
  loadedNow: boolean;
  /** True when this file is the dataset its year serves. */
  active: boolean;
  /** What the year serves instead, when not this file. */
  activeKey: string | null;
}

type Login = { email: string; password: string };

/** Ingestions a start leaves as they are: done, held, withdrawn (deleted), or still under way. */
const KEPT = new Set(["done", "held", "retracted", "queued", "processing"]);

/** Object key of the generated sample: "synthetic/" so it is never taken for an EPA file. */
export const SYNTHETIC_KEY = "synthetic/egrid-synthetic-2023.csv";

/**
 * The files a seed stands for: "real" (the shipped eGRID files), "sample" (a generated GEN file
 * of invented plants, written into `tempDir`), "none", or the path of one CSV file.
 */
export async function seedFiles(seed: string, tempDir: string): Promise<SeedFile[]> {
  if (!seed || seed === "none") return [];
  if (seed === "real") {
    return REAL_FILES.map(({ year, path }) => ({
      year,
      path,
      key: relative(ROOT, path).split("\\").join("/"),
      synthetic: false,
    }));
  }
  if (seed === "sample") {
    const path = join(tempDir, basename(SYNTHETIC_KEY));
    await writeSampleGenCsv(path, { year: 2023, seed: 1 });
    return [{ year: 2023, path, key: SYNTHETIC_KEY, synthetic: true }];
  }
  const path = resolve(seed);
  if (!existsSync(path)) throw new Error(`seed file not found: ${path}`);
  return [{ year: null, path, key: defaultObjectKey(path), synthetic: false }];
}

/**
 * The ingestion id the Worker gives this file under `key`: SHA-256 of bucket, key and eTag, first
 * 12 bytes (domain/r2-events.ts, ingestionIdFor). Local R2 (Miniflare) makes a single-part
 * object's eTag the MD5 of its bytes, as R2 does.
 */
export async function expectedIngestionId(bucket: string, key: string, path: string): Promise<string> {
  const md5 = createHash("md5");
  for await (const bytes of createReadStream(path)) md5.update(bytes);
  const etag = md5.digest("hex");
  return createHash("sha256").update(`${bucket}\n${key}\n${etag}`).digest("hex").slice(0, 24);
}

/** Year -> { ingestionId, key } of every active dataset, read through the API as an analyst would. */
async function activeYears(apiUrl: string, login: Login) {
  const token = await fetch(`${apiUrl}/api/v1/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(login),
  });
  if (!token.ok) throw new Error(`login as ${login.email} failed: ${token.status} ${await token.text()}`);
  const { access_token } = (await token.json()) as { access_token: string };
  const years = await fetch(`${apiUrl}/api/v1/years`, { headers: { authorization: `Bearer ${access_token}` } });
  if (!years.ok) throw new Error(`GET /api/v1/years failed: ${years.status} ${await years.text()}`);
  type Year = { year: number; ingestionId: string; source?: { key?: string } };
  const { data } = (await years.json()) as { data: Year[] };
  return new Map(data.map((d) => [d.year, { ingestionId: d.ingestionId, key: d.source?.key ?? null }]));
}

/** The ingestion `id`, or null when the Worker has no record of it. */
async function findIngestion(apiUrl: string, id: string) {
  try {
    return await getIngestion(apiUrl, id);
  } catch (error) {
    if (/-> 404/.test((error as Error).message)) return null;
    throw error;
  }
}

/** Sends the notification for `file`, putting it into local R2 first when asked or when absent. */
async function sendToPipeline({
  file,
  persistDir,
  apiUrl,
  put,
}: {
  file: SeedFile;
  persistDir: string;
  apiUrl: string;
  put: boolean;
}): Promise<string> {
  if (put) await putLocalObject({ file: file.path, key: file.key, persistDir });
  try {
    return (await notifyLocal(apiUrl, file.key)).ingestionId;
  } catch (error) {
    if (put || !/-> 404/.test((error as Error).message)) throw error;
    return sendToPipeline({ file, persistDir, apiUrl, put: true });
  }
}

/**
 * Loads each of `files` unless its ingestion is done (or under way): a file that failed or was
 * skipped before is sent again, which makes the Worker retry it (worker/ingest/start.ts), so a
 * fixed parser loads it on the next start. Reports per file: `{ path, key, year, ingestionId,
 * status, error, rowsLoaded, plantCount, loadedNow, active, activeKey }`. `active` tells whether
 * the file is what its year serves; `activeKey` names what the year serves instead (the most
 * recently completed file of a year wins, e.g. a later upload).
 */
export async function loadSeedFiles({
  files,
  persistDir,
  apiUrl,
  login,
  bucket,
  log,
}: {
  files: SeedFile[];
  persistDir: string;
  apiUrl: string;
  login: Login;
  bucket: string;
  log: (message: string) => void;
}): Promise<SeedResult[]> {
  type Pending = SeedFile & { ingestionId: string; loadedNow: boolean; ingestion?: Ingestion };
  const pending: Pending[] = [];
  const results: Pending[] = [];
  for (const file of files) {
    const id = await expectedIngestionId(bucket, file.key, file.path);
    const existing = await findIngestion(apiUrl, id);
    const result: Pending = { ...file, ingestionId: id, loadedNow: !existing || !KEPT.has(existing.status) };
    results.push(result);
    if (existing && KEPT.has(existing.status)) {
      if (FINAL_STATUSES.has(existing.status)) result.ingestion = existing;
      else pending.push(result);
      continue;
    }
    log(`${existing ? "retrying" : "loading"} ${displayPath(file.path)} through R2 -> queue -> D1…`);
    const ingestionId = await sendToPipeline({ file, persistDir, apiUrl, put: !existing });
    if (ingestionId !== id) {
      log(`warning: ingestion id ${ingestionId} is not the expected ${id}; later starts will load the file again.`);
      result.ingestionId = ingestionId;
    }
    pending.push(result);
  }
  for (const result of pending) {
    result.ingestion = await waitForIngestion(apiUrl, result.ingestionId, { timeoutMs: 10 * 60_000 });
  }
  const active = results.length ? await activeYears(apiUrl, login) : new Map();
  // Every result has its ingestion by now: kept as found, or waited for above.
  return results.map(({ ingestion, ...result }) => {
    if (!ingestion) throw new Error(`no ingestion for ${result.key}`);
    const year = ingestion.dataYear ?? result.year;
    const serving = active.get(year);
    return {
      ...result,
      year,
      status: ingestion.status,
      error: ingestion.error,
      holdReason: ingestion.holdReason ?? null,
      rowsLoaded: ingestion.rowsLoaded,
      plantCount: ingestion.plantCount,
      active: serving?.ingestionId === result.ingestionId,
      activeKey: serving && serving.ingestionId !== result.ingestionId ? serving.key : null,
    };
  });
}

/** A path as a newcomer reads it: relative to the repository when inside it. */
export function displayPath(path: string): string {
  const inside = relative(ROOT, path);
  return inside.startsWith("..") ? path : inside;
}

/** One line per loaded file for the log: what was loaded, kept, or why it failed. */
export function describeSeedResult(r: SeedResult): string {
  const what = `${r.year ? `${r.year}: ` : ""}${displayPath(r.path)}${r.synthetic ? " (SYNTHETIC: invented plants)" : ""}`;
  if (r.status === "retracted") {
    return `${what} was withdrawn (its object was deleted; ingestion ${r.ingestionId}): load it again with npm run upload -- ${displayPath(r.path)} --wait`;
  }
  if (r.status === "held") {
    return `${what} loaded but not published (ingestion ${r.ingestionId} held): ${r.holdReason ?? "see the ingestions page"}`;
  }
  if (r.status !== "done") {
    return `${what} FAILED to load (ingestion ${r.ingestionId} ${r.status}): ${r.error ?? "no reason given"}`;
  }
  const counts = `${r.rowsLoaded.toLocaleString("en-US")} generators, ${(r.plantCount ?? 0).toLocaleString("en-US")} plants`;
  const when = r.loadedNow ? "loaded" : "already loaded";
  if (r.active) return `${what} ${when} (${counts}).`;
  return `${what} ${when} (${counts}), but ${r.year} serves ${r.activeKey ?? "another file"}, uploaded later.`;
}

/** The banner's "Data" line: what the stack serves, the years that failed, synthetic or real. */
export function describeSeeded(seeded: SeedResult[], seedName: string): string {
  if (seeded.length === 0) return seedName === "none" ? "nothing loaded (--seed none)" : "nothing loaded";
  const kind = seeded.some((r) => r.synthetic)
    ? "SYNTHETIC sample, invented plants (not EPA data)"
    : seedName === "real"
      ? "EPA eGRID files from data/egrid/"
      : displayPath(seeded[0]?.path ?? "");
  const years = seeded.map((r) => (r.status === "done" ? `${r.year}` : `${r.year ?? ""} FAILED`.trim()));
  const failed = seeded.some((r) => r.status !== "done") ? " (why: the [stack] lines above)" : "";
  return `${kind}: ${years.join(", ")}${failed}`;
}
