import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;
const realData = resolve(root, "data/egrid");

/**
 * Serves the real eGRID files shipped in data/egrid/ to tests running inside workerd, which cannot read the host
 * file system: `env.FIXTURES.fetch("http://fixtures/egrid2023_gen23.csv")` -> 200 or 404.
 */
async function serveRealData(request: Request): Promise<Response> {
  const name = decodeURIComponent(new URL(request.url).pathname.slice(1));
  if (name.includes("..") || name.includes("/")) return new Response("bad name", { status: 400 });
  try {
    return new Response(await readFile(resolve(realData, name)));
  } catch {
    return new Response(`${name} not found in ${realData}`, { status: 404 });
  }
}

/** Per-run secrets for the worker under test; generated, never stored. */
const testSecrets = {
  JWT_SIGNING_KEYS: JSON.stringify([
    { kid: "test-new", secret: randomBytes(32).toString("base64url") },
    { kid: "test-old", secret: randomBytes(32).toString("base64url") },
  ]),
  ADMIN_EMAIL: "admin@test.local",
  ADMIN_PASSWORD: randomBytes(12).toString("base64url"),
  DEV_ROUTES: "true",
};

export default defineConfig({
  test: {
    projects: [
      {
        // Worker code inside workerd with real Miniflare D1, KV, R2 and Queues.
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                ...testSecrets,
                TEST_MIGRATIONS: await readD1Migrations(resolve(root, "migrations")),
              },
              serviceBindings: { FIXTURES: serveRealData },
            },
          })),
        ],
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          setupFiles: ["./test/worker/apply-migrations.ts"],
          testTimeout: 60_000,
        },
      },
      {
        // Pure web logic and Preact components in a DOM implemented in Node.
        test: {
          name: "web",
          include: ["test/web/**/*.test.{ts,tsx}"],
          environment: "happy-dom",
        },
      },
      {
        // Developer tooling (scripts/) and the S3 import against a real S3 server, in Node.
        test: {
          name: "node",
          include: ["test/scripts/**/*.test.ts", "test/s3/**/*.test.ts"],
          testTimeout: 120_000,
        },
      },
      {
        // The whole local stack (wrangler dev + Pages) driven by Chromium through playwright-core.
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
