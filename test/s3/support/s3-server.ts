import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsClient } from "aws4fetch";

/** A real S3 server for one test file: s3rver started here, or the one S3_ENDPOINT names. */
export interface TestS3 {
  /** "s3rver" or "external (S3_ENDPOINT=…)". */
  kind: string;
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** A fresh, empty bucket with a unique name. */
  createBucket(prefix: string): Promise<string>;
  putObject(bucket: string, key: string, body: string | Uint8Array): Promise<{ etag: string }>;
  getObject(bucket: string, key: string): Promise<Response>;
  close(): Promise<void>;
}

async function spawnS3rver(directory: string) {
  const script = join(import.meta.dirname, "s3rver-process.mjs");
  const child = spawn(process.execPath, ["--openssl-legacy-provider", script, directory], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  let output = "";
  for await (const chunk of child.stdout) {
    output += chunk;
    if (output.includes("\n")) break;
  }
  const port = (JSON.parse(output.trim() || "{}") as { port?: number }).port;
  if (!port) {
    child.kill("SIGTERM");
    throw new Error(`s3rver did not start: ${output}`);
  }
  return { child, port };
}

function encodeKey(key: string): string {
  return key
    .split("/")
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join("/");
}

async function expectOk(response: Response, what: string): Promise<Response> {
  if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return response;
}

/**
 * Starts s3rver on a free loopback port, or targets S3_ENDPOINT (+ S3_ACCESS_KEY_ID,
 * S3_SECRET_ACCESS_KEY, S3_REGION) when set, e.g. MinIO from `docker compose --profile s3 up -d`.
 * s3rver accepts only the access key "S3RVER" and does not verify SigV4 signatures.
 */
export async function startTestS3(): Promise<TestS3> {
  const external = process.env.S3_ENDPOINT;
  let endpoint: string;
  let accessKeyId = "S3RVER";
  let secretAccessKey = "S3RVER";
  let stop = async () => {};
  let kind: string;
  if (external) {
    endpoint = external.replace(/\/+$/, "");
    accessKeyId = process.env.S3_ACCESS_KEY_ID ?? "";
    secretAccessKey = process.env.S3_SECRET_ACCESS_KEY ?? "";
    if (!accessKeyId || !secretAccessKey)
      throw new Error("S3_ENDPOINT is set: also set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY");
    kind = `external (S3_ENDPOINT=${endpoint})`;
  } else {
    const directory = await mkdtemp(join(tmpdir(), "egrid-s3rver-"));
    const { child, port } = await spawnS3rver(directory);
    endpoint = `http://127.0.0.1:${port}`;
    kind = "s3rver";
    stop = async () => {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
      await rm(directory, { recursive: true, force: true });
    };
  }
  const region = process.env.S3_REGION ?? "us-east-1";
  const client = new AwsClient({ accessKeyId, secretAccessKey, region, service: "s3", retries: 0 });
  const buckets: string[] = [];

  return {
    kind,
    endpoint,
    region,
    accessKeyId,
    secretAccessKey,
    async createBucket(prefix) {
      const name = `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      await expectOk(await client.fetch(`${endpoint}/${name}`, { method: "PUT" }), `create bucket ${name}`);
      buckets.push(name);
      return name;
    },
    async putObject(bucket, key, body) {
      const response = await expectOk(
        await client.fetch(`${endpoint}/${bucket}/${encodeKey(key)}`, { method: "PUT", body }),
        `put ${key}`,
      );
      return { etag: (response.headers.get("etag") ?? "").replaceAll('"', "") };
    },
    async getObject(bucket, key) {
      return client.fetch(`${endpoint}/${bucket}/${encodeKey(key)}`);
    },
    async close() {
      // An external server keeps its data; remove what the tests created there.
      if (external) {
        for (const bucket of buckets) await removeBucket(client, endpoint, bucket).catch(() => {});
      }
      await stop();
    },
  };
}

async function removeBucket(client: AwsClient, endpoint: string, bucket: string) {
  const listing = await (await client.fetch(`${endpoint}/${bucket}?list-type=2`)).text();
  for (const [, key] of listing.matchAll(/<Key>([\s\S]*?)<\/Key>/g)) {
    const decoded = (key ?? "")
      .replace(/&amp;/g, "&")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'");
    await client.fetch(`${endpoint}/${bucket}/${encodeKey(decoded)}`, { method: "DELETE" });
  }
  await client.fetch(`${endpoint}/${bucket}`, { method: "DELETE" });
}
