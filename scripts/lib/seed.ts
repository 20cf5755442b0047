// What a local stack loads on start, and loading it through the real pipeline: the object is put
// into local R2, the notification R2 would send goes to the ingest queue, the consumer writes D1.
// A file is loaded once: on later starts its ingestion is found through the dev routes and the
// API (the state persisted in .wrangler/state), never through a marker file of our own.
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, relative, resolve } from "node:path";
import { TERMINAL_STATUSES } from "../../domain/ingestions.ts";
import { ingestionIdFor } from "../../domain/r2-events.ts";
import {
  defaultObjectKey,
  getIngestion,
  type Ingestion,
  notifyLocal,
  putLocalObject,
  uploadsBucketName,
  waitForIngestion,
} from "./local-ingest.ts";
import { ROOT } from "./processes.ts";
import { writeSampleGenCsv } from "./sample.ts";

/** A file to load; `year` is known beforehand for the shipped files and the sample only. */
type SeedFile = { year: number | null; path: string; key: string; synthetic: boolean };

/**
 * A file's outcome. `loadedNow` is false when its ingestion was already done (a later start);
 * `active` tells whether the file is what its year serves, `activeKey` what the year serves
 * instead (the most recently completed file of a year wins, e.g. a later upload).
 */
export type SeedResult = SeedFile & {
  ingestionId: string;
  status: string;
  error: string | null;
  holdReason?: string | null;
  rowsLoaded: number;
  plantCount: number | null;
  loadedNow: boolean;
  active: boolean;
  activeKey: string | null;
};

type Login = { email: string; password: string };

/** Ingestions a start leaves as they are: done, held, withdrawn (deleted), or still under way. */
const KEPT = new Set(["done", "held", "retracted", "queued", "processing"]);

/**
 * The files a seed stands for: "real" (the shipped eGRID files, newest first), "sample" (a
 * generated GEN file of invented plants, written into `tempDir`, key under "synthetic/" so it is
 * never taken for an EPA file), "none", or the path of one CSV file.
 */
export async function seedFiles(seed: string, tempDir: string): Promise<SeedFile[]> {
  if (!seed || seed === "none") return [];
  if (seed === "real") {
    return [2023, 2022, 2021].map((year) => {
      const key = `data/egrid/egrid${year}_gen${String(year).slice(2)}.csv`;
      return { year, path: join(ROOT, key), key, synthetic: false };
    });
  }
  if (seed === "sample") {
    const key = "synthetic/egrid-synthetic-2023.csv";
    const path = join(tempDir, basename(key));
    await writeSampleGenCsv(path, { year: 2023, seed: 1 });
    return [{ year: 2023, path, key, synthetic: true }];
  }
  const path = resolve(seed);
  if (!existsSync(path)) throw new Error(`seed file not found: ${path}`);
  return [{ year: null, path, key: defaultObjectKey(path), synthetic: false }];
}

/**
 * The ingestion id the Worker gives this file under `key` (the domain's ingestionIdFor). Local R2
 * (Miniflare) makes a single-part object's eTag the MD5 of its bytes, as R2 does.
 */
export async function expectedIngestionId(bucket: string, key: string, path: string): Promise<string> {
  const md5 = createHash("md5");
  for await (const bytes of createReadStream(path)) md5.update(bytes);
  return ingestionIdFor(bucket, key, md5.digest("hex"));
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

/**
 * Loads each of `files` unless its ingestion is done (or under way): a file that failed or was
 * skipped before is sent again, which makes the Worker retry it (worker/ingest/start.ts), so a
 * fixed parser loads it on the next start.
 */
async function loadSeedFiles(files: SeedFile[], persistDir: string, apiUrl: string, login: Login, log: Log) {
  type Pending = SeedFile & { ingestionId: string; loadedNow: boolean; ingestion?: Ingestion };
  const bucket = uploadsBucketName();
  const results: Pending[] = [];
  for (const file of files) {
    const id = await expectedIngestionId(bucket, file.key, file.path);
    const existing = await getIngestion(apiUrl, id);
    const kept = existing && KEPT.has(existing.status);
    const result: Pending = { ...file, ingestionId: id, loadedNow: !kept };
    results.push(result);
    if (kept) {
      if (TERMINAL_STATUSES.has(existing.status)) result.ingestion = existing;
      continue;
    }
    log(`${existing ? "retrying" : "loading"} ${displayPath(file.path)} through R2 -> queue -> D1…`);
    // A retry only notifies; the object is put when it is new, or when the notify finds it missing.
    if (!existing) await putLocalObject({ file: file.path, key: file.key, persistDir });
    const { ingestionId } = await notifyLocal(apiUrl, file.key).catch(async (error) => {
      if (!existing || !/-> 404/.test(error.message)) throw error;
      await putLocalObject({ file: file.path, key: file.key, persistDir });
      return notifyLocal(apiUrl, file.key);
    });
    if (ingestionId !== id) {
      log(`warning: ingestion id ${ingestionId} is not the expected ${id}; later starts will load the file again.`);
      result.ingestionId = ingestionId;
    }
  }
  for (const result of results) {
    result.ingestion ??= await waitForIngestion(apiUrl, result.ingestionId, { timeoutMs: 10 * 60_000 });
  }
  const active = results.length ? await activeYears(apiUrl, login) : new Map();
  return results.map(({ ingestion, ...result }): SeedResult => {
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

type Log = (message: string) => void;
type SeedOptions = { persistDir: string; apiUrl: string; login: Login; log: Log; onSeedError: "throw" | "warn" };

/**
 * Loads what `seed` stands for (see seedFiles) through the real pipeline, skipping files already
 * loaded, and logs one line per file. A file that does not load is reported and the others are
 * still served; with onSeedError "throw" the start then fails, naming every such file ("warn"
 * logs any failure, even of the whole seed, and the stack is served anyway).
 */
export async function seedStack(seed: string, { persistDir, apiUrl, login, log, onSeedError }: SeedOptions) {
  const tempDir = await mkdtemp(join(tmpdir(), "egrid-seed-"));
  try {
    const results = await loadSeedFiles(await seedFiles(seed, tempDir), persistDir, apiUrl, login, log);
    for (const result of results) log(describeSeedResult(result));
    const failed = results.filter((r) => r.status !== "done");
    if (failed.length && onSeedError !== "warn") throw new Error(failed.map(describeSeedResult).join("\n"));
    return results;
  } catch (error) {
    if (onSeedError !== "warn") throw error;
    log(`warning: could not load seed data: ${(error as Error).message}`);
    return [];
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
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
