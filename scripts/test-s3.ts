// `npm run test:s3`: the S3 suites (test/s3: import from a bucket into the pipeline, `upload --s3`).
// With S3_ENDPOINT (+ S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, optional S3_REGION) the tests use
// that server, e.g. MinIO from `docker compose --profile s3 up -d`; otherwise each test file
// starts s3rver, a real S3 server in Node, on a free loopback port.
import { spawnSync } from "node:child_process";

const endpoint = process.env.S3_ENDPOINT;
if (endpoint) {
  const missing = ["S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"].filter((name) => !process.env[name]);
  if (missing.length > 0) {
    console.error(
      `[test:s3] S3_ENDPOINT is set but ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not.`,
    );
    console.error("[test:s3] For the compose MinIO: S3_ACCESS_KEY_ID=egrid S3_SECRET_ACCESS_KEY=egrid-minio-secret");
    process.exit(2);
  }
  console.log(`[test:s3] S3 server: ${endpoint} (from S3_ENDPOINT); the tests create and remove their own buckets.`);
} else {
  console.log("[test:s3] S3 server: s3rver started by the tests (no S3_ENDPOINT set).");
}

const result = spawnSync("vitest", ["run", "--project", "node", "test/s3", ...process.argv.slice(2)], {
  stdio: "inherit",
});
console.log(`[test:s3] ${result.status === 0 ? "passed" : "FAILED"} against ${endpoint ?? "s3rver"}.`);
process.exit(result.status ?? 1);
