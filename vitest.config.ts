import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const sharedData = resolve(import.meta.dirname, "../shared/data");

/**
 * Serves files from ../shared/data to tests running inside workerd, which cannot read the host
 * file system: `env.FIXTURES.fetch("http://fixtures/egrid2023_gen23.csv")` -> 200 or 404.
 */
async function serveSharedData(request: Request): Promise<Response> {
  const name = decodeURIComponent(new URL(request.url).pathname.slice(1));
  if (name.includes("..") || name.includes("/")) return new Response("bad name", { status: 400 });
  try {
    return new Response(await readFile(resolve(sharedData, name)));
  } catch {
    return new Response(`${name} not found in ${sharedData}`, { status: 404 });
  }
}

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: { TEST_MIGRATIONS: await readD1Migrations(resolve(import.meta.dirname, "migrations")) },
        serviceBindings: { FIXTURES: serveSharedData },
      },
    })),
  ],
  test: {
    include: ["test/worker/**/*.test.ts"],
    setupFiles: ["./test/worker/apply-migrations.ts"],
  },
});
