import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

// No Docker engine runs here or in CI; docker-compose (Debian's 1.29, installed by .ci/run)
// still parses and validates the file, profiles included.

const root = resolve(import.meta.dirname, "../..");
const compose = (...args: string[]) =>
  spawnSync("docker-compose", ["-f", "docker-compose.yml", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env },
  });
const available = compose("version").status === 0;
if (!available)
  console.log(
    "[test:s3] docker-compose validation skipped: docker-compose is not installed (apt-get install docker-compose)",
  );

describe.skipIf(!available)("docker-compose.yml", () => {
  it("is valid", () => {
    const result = compose("config", "-q");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("has the s3 and app profiles", () => {
    expect(compose("config", "--profiles").stdout.trim().split("\n").sort()).toEqual(["app", "s3"]);
  });

  it("points the app's S3 import at the MinIO service and its bucket", () => {
    const config = compose("--profile", "app", "config").stdout;
    expect(config).toMatch(/S3_IMPORT_ENDPOINT: http:\/\/minio:9000/);
    expect(config).toMatch(/S3_IMPORT_BUCKET: egrid-source/);
    expect(config).toMatch(/mc mb --ignore-existing "local\/\$\$S3_BUCKET"/);
    expect(config).toMatch(/- wrangler-state:\/app\/\.wrangler/);
  });
});
