// Secrets and local-only settings. They come from `wrangler secret put` in production and from
// the generated, git-ignored `.dev.vars` locally, so `wrangler types` cannot see them.
interface EgridSecrets {
  /**
   * JSON array of HMAC signing keys, newest first: `[{"kid":"2026-11","secret":"<base64url>"}]`.
   * The first signs new tokens; every listed key verifies, so keys rotate without logouts.
   */
  JWT_SIGNING_KEYS: string;
  /** The first admin account, created on first use when no admin exists. */
  ADMIN_EMAIL: string;
  ADMIN_PASSWORD: string;
  /** "true" only in local development: enables the /__dev routes (notify, reconcile). */
  DEV_ROUTES?: string;
  /** Bytes of CSV per chunk message (default 512 KiB); tests lower it to force multi-chunk files. */
  INGEST_CHUNK_BYTES?: string;
  /** Plants per D1 statement when publishing: the merge, precomputes, change pairs (default 20,000); tests lower it. */
  INGEST_PLANTS_PER_STATEMENT?: string;
  /** D1 statements a queue invocation may run, publishing included (default 500 of D1's 1,000); tests lower it. */
  INGEST_STATEMENTS_PER_INVOCATION?: string;
  /** Public base URL of the API (e.g. https://api.example.org), the OpenAPI `servers` entry; default "/". */
  PUBLIC_API_URL?: string;
  /** Optional external S3-compatible source bucket for scheduled imports. */
  S3_IMPORT_ENDPOINT?: string;
  S3_IMPORT_BUCKET?: string;
  S3_IMPORT_REGION?: string;
  S3_IMPORT_PREFIX?: string;
  S3_IMPORT_ACCESS_KEY_ID?: string;
  S3_IMPORT_SECRET_ACCESS_KEY?: string;
}

interface Env extends EgridSecrets {}
declare namespace Cloudflare {
  interface Env extends EgridSecrets {}
}
