/** Settings of the external S3-compatible bucket that `importFromS3` copies CSVs from. */
export interface S3ImportConfig {
  /** Endpoint without trailing slash, e.g. `https://<account>.r2.cloudflarestorage.com`. */
  endpoint: string;
  bucket: string;
  region: string;
  /** Only keys starting with this are listed; "" lists the whole bucket. */
  prefix: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `endpoint/bucket`: identifies the source in `s3_imports`. */
  source: string;
}

/** Thrown when the S3 import settings are absent or unusable; the message names each one. */
export class S3ImportNotConfiguredError extends Error {
  override readonly name = "S3ImportNotConfiguredError";
  constructor(
    message: string,
    readonly missing: string[] = [],
  ) {
    super(message);
  }
}

const REQUIRED = [
  "S3_IMPORT_ENDPOINT",
  "S3_IMPORT_BUCKET",
  "S3_IMPORT_ACCESS_KEY_ID",
  "S3_IMPORT_SECRET_ACCESS_KEY",
] as const;

type S3ImportSettings = Partial<Record<(typeof REQUIRED)[number] | "S3_IMPORT_REGION" | "S3_IMPORT_PREFIX", string>>;

/**
 * Reads and validates the S3_IMPORT_* vars and secrets.
 *
 * @throws S3ImportNotConfiguredError naming every missing or invalid setting.
 * @example
 * const config = readS3ImportConfig(env); // { endpoint, bucket, region: "us-east-1", ... }
 */
export function readS3ImportConfig(env: S3ImportSettings): S3ImportConfig {
  const missing = REQUIRED.filter((name) => !env[name]?.trim());
  if (missing.length > 0) {
    throw new S3ImportNotConfiguredError(
      `S3 import is not configured: missing ${missing.join(", ")}. Set the vars in wrangler.toml or .dev.vars ` +
        "and the keys with `wrangler secret put` (see docs/s3.md).",
      missing,
    );
  }
  const endpoint = (env.S3_IMPORT_ENDPOINT ?? "").trim().replace(/\/+$/, "");
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new S3ImportNotConfiguredError(
      `S3_IMPORT_ENDPOINT must be an http(s) URL such as https://<account>.r2.cloudflarestorage.com, got "${endpoint}".`,
      ["S3_IMPORT_ENDPOINT"],
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new S3ImportNotConfiguredError(`S3_IMPORT_ENDPOINT must use http or https, got "${endpoint}".`, [
      "S3_IMPORT_ENDPOINT",
    ]);
  }
  const bucket = (env.S3_IMPORT_BUCKET ?? "").trim();
  return {
    endpoint,
    bucket,
    // R2's S3 API accepts only "auto"; AWS S3 and MinIO default to us-east-1.
    region: env.S3_IMPORT_REGION?.trim() || (url.hostname.endsWith(".r2.cloudflarestorage.com") ? "auto" : "us-east-1"),
    prefix: env.S3_IMPORT_PREFIX?.trim() ?? "",
    accessKeyId: (env.S3_IMPORT_ACCESS_KEY_ID ?? "").trim(),
    secretAccessKey: (env.S3_IMPORT_SECRET_ACCESS_KEY ?? "").trim(),
    source: `${endpoint}/${bucket}`,
  };
}
