// Talks to a running local stack: puts a file into its local R2 bucket (getPlatformProxy on its
// state), sends the notification R2 would send (Miniflare sends none), and follows the
// ingestion through the dev routes.
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { type IngestionStatus, TERMINAL_STATUSES } from "../../domain/ingestions.ts";
import type { DevIngestion } from "../../worker/dev/routes.ts";
import { ROOT, readWranglerConfig } from "./processes.ts";

/** The bucket bound as UPLOADS in wrangler.toml (local R2 is keyed by bucket name). */
export function uploadsBucketName(): string {
  const name = readWranglerConfig().r2_buckets?.find((b) => b.binding === "UPLOADS")?.bucket_name;
  if (!name) throw new Error("no R2 bucket bound as UPLOADS in wrangler.toml");
  return name;
}

/** An ingestion record; `active` is true when this version is what its year serves. */
export type Ingestion = {
  id: string;
  status: IngestionStatus;
  active: boolean;
  rejected: { line: number; reason: string }[];
} & Record<"rowsRead" | "rowsLoaded" | "rowsRejected" | "chunksDone", number> &
  Record<"dataYear" | "plantCount" | "chunkCount" | "uploadedAt" | "startedAt" | "completedAt", number | null> &
  Record<"key" | "error" | "holdReason", string | null>;

/** Where a running stack records its URLs (`{ apiUrl, webUrl, pid, … }`), so `npm run upload` finds it. */
export const stackInfoPath = (persistDir: string) => join(persistDir, "stack.json");

/** The recorded stack of `persistDir` when its process is still alive, else null. */
export async function readStackInfo(persistDir: string): Promise<{ apiUrl: string } | null> {
  try {
    const info = JSON.parse(await readFile(stackInfoPath(persistDir), "utf8"));
    process.kill(info.pid, 0);
    return info;
  } catch {
    return null;
  }
}

/** An object key for an uploaded file: uploads/<file name>, safe characters only. */
export function defaultObjectKey(file: string): string {
  return `uploads/${basename(file).replace(/[^A-Za-z0-9._-]+/g, "-")}`;
}

/** The bindings `withLocalBindings` uses (a subset of the Worker's Env). */
type LocalBindings = {
  UPLOADS: { put(key: string, body: Buffer, options: object): Promise<unknown>; delete(key: string): Promise<void> };
  DB: { prepare(sql: string): { all(): Promise<{ results: Record<string, unknown>[] }> } };
};

/**
 * Runs `fn` with wrangler.toml's bindings on the local state in `persistDir` (getPlatformProxy on
 * the files `wrangler dev --persist-to` uses): a running stack sees a put object at once.
 */
async function withLocalBindings<T>(persistDir: string, fn: (env: LocalBindings) => Promise<T>): Promise<T> {
  const { getPlatformProxy } = await import("wrangler");
  const proxy = await getPlatformProxy<LocalBindings>({
    configPath: join(ROOT, "wrangler.toml"),
    persist: { path: join(persistDir, "v3") },
    // Bindings only: no secrets file read (nor its "Using secrets" line), nothing remote.
    envFiles: [join(persistDir, "no-secrets.env")],
    remoteBindings: false,
  });
  try {
    return await fn(proxy.env);
  } finally {
    await proxy.dispose();
  }
}

/** Writes `file` into the local R2 bucket UPLOADS of the stack persisted in `persistDir`. */
export async function putLocalObject({ file, key, persistDir }: { file: string; key: string; persistDir: string }) {
  const body = await readFile(file);
  await withLocalBindings(persistDir, async (env) => {
    // Nothing returned: a stub of the proxy (the R2Object put gives) is poisoned by dispose().
    await env.UPLOADS.put(key, body, { httpMetadata: { contentType: "text/csv" } });
  });
}

/** Deletes `key` from the local R2 bucket UPLOADS of the stack persisted in `persistDir`. */
export async function deleteLocalObject({ key, persistDir }: { key: string; persistDir: string }) {
  await withLocalBindings(persistDir, (env) => env.UPLOADS.delete(key));
}

/** Runs one SQL statement on the local D1 database of `persistDir`; returns its result rows. */
export async function localD1Query(persistDir: string, sql: string): Promise<Record<string, unknown>[]> {
  return withLocalBindings(persistDir, async (env) => (await env.DB.prepare(sql).all()).results);
}

// biome-ignore lint/suspicious/noExplicitAny: JSON of the dev routes, shaped by each caller
async function requestJson(url: string, init?: RequestInit, timeoutMs = 60_000): Promise<any> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    const code = e.cause?.code ?? e.name ?? e.message;
    if (code === "ECONNREFUSED") {
      throw new Error(
        `cannot reach ${new URL(url).origin} (${code}): is the stack running? Start it with \`npm start\`.`,
      );
    }
    // A Worker busy with a long consumer invocation answers late; the caller may retry.
    throw Object.assign(new Error(`${new URL(url).origin} did not answer (${code})`), { transient: true });
  }
  const text = await response.text();
  let body: ReturnType<typeof JSON.parse>;
  try {
    body = JSON.parse(text);
  } catch {
    body = { raw: text };
  }
  if (!response.ok) {
    const detail = body?.error?.message ?? body?.message ?? body?.error ?? text.slice(0, 300);
    const hint = response.status === 404 ? " (are DEV_ROUTES=true in .dev.vars and the dev routes deployed?)" : "";
    throw new Error(
      `${init?.method ?? "GET"} ${url} -> ${response.status}: ${typeof detail === "string" ? detail : JSON.stringify(detail)}${hint}`,
    );
  }
  return body;
}

/**
 * Sends the notification R2 would send for `key` to the local ingest queue: an object put by
 * default, which answers `{ ingestionId }`; "DeleteObject" once the key is gone, which answers
 * `{ ingestionIds }`, the versions of the key that were loaded or loading and that it retracts.
 */
export const notifyLocal = (apiUrl: string, key: string, action?: "DeleteObject") =>
  requestJson(`${apiUrl}/__dev/notify`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ key, action }),
  }) as Promise<{ ingestionId: string; ingestionIds: string[] }>;

const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));

/** The dev route's ingestion (the API's view plus chunk progress), flat; row counts include chunks in flight. */
export function normalizeIngestion({ progress, ...i }: DevIngestion): Ingestion {
  return {
    id: i.id,
    status: i.status,
    key: i.objectKey,
    dataYear: i.dataYear,
    rowsRead: Math.max(i.rows.read, progress.rowsRead),
    rowsLoaded: Math.max(i.rows.loaded, progress.rowsLoaded),
    rowsRejected: Math.max(i.rows.rejected, progress.rowsRejected),
    plantCount: i.plantCount,
    chunkCount: i.chunks.total,
    chunksDone: i.chunks.done,
    error: i.error,
    holdReason: i.holdReason,
    uploadedAt: ms(i.timings.uploadedAt),
    active: i.active,
    startedAt: ms(i.timings.startedAt),
    completedAt: ms(i.timings.completedAt),
    rejected: i.rejectedSample,
  };
}

/** The ingestion `id`, or null while the Worker has no record of it (the consumer writes it). */
export async function getIngestion(apiUrl: string, id: string, timeoutMs?: number): Promise<Ingestion | null> {
  const url = `${apiUrl}/__dev/ingestions/${encodeURIComponent(id)}`;
  return requestJson(url, undefined, timeoutMs).then(normalizeIngestion, (error: Error) => {
    if (/-> 404/.test(error.message)) return null;
    throw error;
  });
}

/**
 * Polls an ingestion until it reaches a final status (done, held, failed, skipped, retracted), or
 * until `until(ingestion)` when given, calling `onProgress(ingestion)` whenever it changed.
 * Rejects after `timeoutMs`.
 */
export async function waitForIngestion(
  apiUrl: string,
  id: string,
  {
    onProgress,
    onBusy,
    until,
    uploadedSince = 0,
    timeoutMs = 15 * 60_000,
    intervalMs = 250,
    requestTimeoutMs = 60_000,
  }: {
    onProgress?: (ingestion: Ingestion) => void;
    onBusy?: (error: Error) => void;
    until?: (ingestion: Ingestion) => boolean;
    /** Wait until the record's upload time is at least this (ms): the consumer took this put. */
    uploadedSince?: number;
  } & Partial<Record<"timeoutMs" | "intervalMs" | "requestTimeoutMs", number>> = {},
): Promise<Ingestion> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  for (;;) {
    // A local Worker runs one isolate, so a long consumer invocation can hold our request back.
    const ingestion = await getIngestion(apiUrl, id, requestTimeoutMs).catch((error) => {
      if (!error.transient) throw error;
      onBusy?.(error);
      return null;
    });
    if (ingestion) {
      const snapshot = JSON.stringify(ingestion);
      if (snapshot !== last) onProgress?.(ingestion);
      last = snapshot;
      // A put of bytes loaded before lands on their finished record: wait until the consumer
      // has taken this put (the record's upload time moves to it) and decided what it publishes.
      const taken = typeof ingestion.uploadedAt !== "number" || ingestion.uploadedAt >= uploadedSince;
      if (until ? until(ingestion) : TERMINAL_STATUSES.has(ingestion.status) && taken) return ingestion;
    }
    if (Date.now() > deadline)
      throw new Error(
        `ingestion ${id} not finished after ${Math.round(timeoutMs / 1000)} s (last: ${last || "no record"})`,
      );
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
