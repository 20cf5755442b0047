import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { readS3ImportConfig } from "../../../worker/imports/config";
import {
  importFromS3,
  isS3ImportConfigured,
  S3ImportNotConfiguredError,
  S3SourceError,
} from "../../../worker/imports/s3-import";
import { encodeKey } from "../../../worker/imports/s3-source";

// Importing from a live S3 server is tested in test/s3 (Node starts s3rver and this Worker);
// here: configuration, key encoding and failures that need no server.

const configured = {
  S3_IMPORT_ENDPOINT: "https://abc123.r2.cloudflarestorage.com/",
  S3_IMPORT_BUCKET: "egrid-source",
  S3_IMPORT_ACCESS_KEY_ID: "AKID",
  S3_IMPORT_SECRET_ACCESS_KEY: "secret",
};
const unset = {
  S3_IMPORT_ENDPOINT: undefined,
  S3_IMPORT_BUCKET: undefined,
  S3_IMPORT_ACCESS_KEY_ID: undefined,
  S3_IMPORT_SECRET_ACCESS_KEY: undefined,
};

describe("readS3ImportConfig", () => {
  it("normalises the endpoint and picks R2's region 'auto' for R2 endpoints", () => {
    expect(readS3ImportConfig(configured)).toEqual({
      endpoint: "https://abc123.r2.cloudflarestorage.com",
      bucket: "egrid-source",
      region: "auto",
      prefix: "",
      accessKeyId: "AKID",
      secretAccessKey: "secret",
      source: "https://abc123.r2.cloudflarestorage.com/egrid-source",
    });
  });

  it("defaults to us-east-1 elsewhere and keeps an explicit region and prefix", () => {
    const minio = { ...configured, S3_IMPORT_ENDPOINT: "http://minio:9000" };
    expect(readS3ImportConfig(minio).region).toBe("us-east-1");
    expect(readS3ImportConfig({ ...minio, S3_IMPORT_REGION: "eu-west-3", S3_IMPORT_PREFIX: "egrid/" })).toMatchObject({
      region: "eu-west-3",
      prefix: "egrid/",
    });
  });

  it("names every missing setting", () => {
    const error = (() => {
      try {
        readS3ImportConfig({ ...configured, S3_IMPORT_BUCKET: " ", S3_IMPORT_SECRET_ACCESS_KEY: undefined });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(S3ImportNotConfiguredError);
    expect((error as S3ImportNotConfiguredError).missing).toEqual(["S3_IMPORT_BUCKET", "S3_IMPORT_SECRET_ACCESS_KEY"]);
    expect((error as Error).message).toMatch(/missing S3_IMPORT_BUCKET, S3_IMPORT_SECRET_ACCESS_KEY/);
  });

  it("rejects an endpoint that is not an http(s) URL", () => {
    expect(() => readS3ImportConfig({ ...configured, S3_IMPORT_ENDPOINT: "minio:9000" })).toThrow(
      /S3_IMPORT_ENDPOINT must (be an http\(s\) URL|use http or https)/,
    );
  });
});

describe("encodeKey", () => {
  it("escapes each segment as SigV4 expects and keeps the slashes", () => {
    expect(encodeKey("2023/plants 2023 (é&more)!.csv")).toBe("2023/plants%202023%20%28%C3%A9%26more%29%21.csv");
  });
});

describe("importFromS3", () => {
  it("throws S3ImportNotConfiguredError naming the settings when none are set", async () => {
    const bare = { ...env, ...unset } as Env;
    expect(isS3ImportConfigured(bare)).toBe(false);
    await expect(importFromS3(bare, { trigger: "schedule" })).rejects.toThrow(S3ImportNotConfiguredError);
    await expect(importFromS3(bare)).rejects.toThrow(
      /S3_IMPORT_ENDPOINT, S3_IMPORT_BUCKET, S3_IMPORT_ACCESS_KEY_ID, S3_IMPORT_SECRET_ACCESS_KEY/,
    );
  });

  it("fails with S3SourceError when the endpoint cannot be reached, writing nothing", async () => {
    const target = { ...env, ...configured, S3_IMPORT_ENDPOINT: "http://127.0.0.1:9" } as Env;
    expect(isS3ImportConfigured(target)).toBe(true);
    await expect(importFromS3(target, { trigger: "api" })).rejects.toThrow(S3SourceError);
    await expect(importFromS3(target, { trigger: "api" })).rejects.toThrow(
      /list http:\/\/127\.0\.0\.1:9\/egrid-source: cannot reach/,
    );
    expect((await env.UPLOADS.list({ prefix: "imports/" })).objects).toEqual([]);
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM s3_imports").first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });

  it("rejects a maxObjects that is not a positive integer", async () => {
    const target = { ...env, ...configured } as Env;
    await expect(importFromS3(target, { trigger: "api", maxObjects: 0 })).rejects.toThrow(RangeError);
  });
});
