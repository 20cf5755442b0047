import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { unstable_startWorker } from "wrangler";
import type { ImportOptions, ImportSummary } from "../../../worker/imports/s3-import";

const root = resolve(import.meta.dirname, "../../..");

export interface ImportState {
  objects: Array<{
    key: string;
    size: number;
    etag: string;
    sha256: string;
    body: string;
    contentType?: string;
    customMetadata?: Record<string, string>;
  }>;
  rows: Array<{
    source: string;
    source_key: string;
    source_etag: string;
    size_bytes: number;
    r2_key: string;
    ingestion_id: string;
    imported_at: number;
  }>;
  notifications: Array<{ action: string; bucket: string; object: { key: string; size: number; eTag: string } }>;
}

export type ImportOutcome =
  | { ok: true; summary: ImportSummary }
  | { ok: false; status: number; name: string; message: string };

export interface ImportWorker {
  /** Runs importFromS3 inside the Worker; `vars` overrides S3_IMPORT_* for this run only. */
  runImport(options: ImportOptions, vars?: Record<string, string | null>): Promise<ImportOutcome>;
  state(): Promise<ImportState>;
  /** Fires the Worker's cron handler, as Cloudflare does on schedule. */
  triggerScheduled(): Promise<Response>;
  dispose(): Promise<void>;
}

/**
 * Starts the project's Worker (wrangler.toml: D1, KV, R2, Queues, cron) in Miniflare through
 * wrangler's `unstable_startWorker`, with local migrations applied by `wrangler d1 migrations
 * apply --local` into a fresh state directory. The entry is test/s3/fixtures/import-worker.ts:
 * worker/index.ts plus /__test routes.
 */
export async function startImportWorker(vars: Record<string, string>): Promise<ImportWorker> {
  const persist = await mkdtemp(join(tmpdir(), "egrid-s3-worker-"));
  const migrate = spawnSync("wrangler", ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persist], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  if (migrate.status !== 0) throw new Error(`wrangler d1 migrations apply failed: ${migrate.stderr}${migrate.stdout}`);

  const worker = await unstable_startWorker({
    config: join(root, "wrangler.toml"),
    entrypoint: join(root, "test/s3/fixtures/import-worker.ts"),
    // Any non-empty list makes wrangler skip the developer's .dev.vars; this file never exists,
    // so the Worker sees only wrangler.toml vars and the bindings below.
    envFiles: [join(persist, "no-dev-vars")],
    bindings: Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, { type: "plain_text", value }])),
    dev: {
      persist,
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      watch: false,
      testScheduled: true,
      logLevel: "warn",
    },
  });
  await worker.ready;

  return {
    async runImport(options, overrides) {
      const response = await worker.fetch("http://test/__test/import", {
        method: "POST",
        body: JSON.stringify({ options, vars: overrides ?? {} }),
      });
      const body = (await response.json()) as Record<string, unknown>;
      if (response.ok) return { ok: true, summary: body as unknown as ImportSummary };
      return { ok: false, status: response.status, name: String(body.name), message: String(body.message) };
    },
    async state() {
      return (await (await worker.fetch("http://test/__test/state")).json()) as ImportState;
    },
    async triggerScheduled() {
      return (await worker.fetch("http://test/cdn-cgi/handler/scheduled?cron=*/10+*+*+*+*")) as unknown as Response;
    },
    async dispose() {
      await worker.dispose();
      await rm(persist, { recursive: true, force: true });
    },
  };
}

/** Polls `read` until `done` holds; fails with the last value after `attempts` tries. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, attempts = 100): Promise<T> {
  let value = await read();
  for (let i = 0; i < attempts && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 200));
    value = await read();
  }
  if (!done(value)) throw new Error(`condition not reached; last value: ${JSON.stringify(value).slice(0, 2000)}`);
  return value;
}
