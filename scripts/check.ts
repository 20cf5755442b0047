// `npm run check`: type-check everything and build the Worker exactly as `wrangler deploy` would
// (--dry-run: bundle and config validated, nothing uploaded), then print the bundle size
// against the Workers script limits.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT, run, WRANGLER } from "./lib/processes.ts";

const TSC = join(ROOT, "node_modules", ".bin", "tsc");
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
let failed = false;

async function step(name: string, fn: () => Promise<unknown>) {
  const started = performance.now();
  try {
    const detail = await fn();
    const shown = typeof detail === "string" ? `\n${detail}` : ""; // a run's captured output is not shown
    console.log(`✓ ${name} (${((performance.now() - started) / 1000).toFixed(1)} s)${shown}`);
  } catch (error) {
    failed = true;
    const e = error as Error & { stdout?: string };
    console.log(`✗ ${name}\n${e.stdout?.trim() || e.message}`);
  }
}

/** Bytes of every module wrangler wrote (source maps excluded: they are not uploaded as code). */
function bundleSize(dir: string) {
  let raw = 0;
  let gzip = 0;
  for (const name of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    const path = join(dir, name);
    if (!statSync(path).isFile() || !/\.(m?js|wasm)$/.test(path)) continue;
    const bytes = readFileSync(path);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip };
}

await step("tsc -p tsconfig.json (worker, tests, scripts)", () => run(TSC, ["-p", "tsconfig.json"]));
await step("tsc -p web/tsconfig.json (web page)", () => run(TSC, ["-p", "web/tsconfig.json"]));

const out = await mkdtemp(join(tmpdir(), "egrid-check-"));
await step("wrangler deploy --dry-run (Worker bundle and wrangler.toml)", async () => {
  await run(WRANGLER, ["deploy", "--dry-run", "--outdir", out]);
  const { raw, gzip } = bundleSize(out);
  // Workers script size limit after compression: 3 MB Free, 10 MB Paid.
  return `  Worker bundle: ${kib(raw)} raw, ${kib(gzip)} gzip (limit 3 MB gzip on Free, 10 MB on Paid)`;
});
const fnOut = join(out, "pages-functions");
await step("wrangler pages functions build (web/functions)", async () => {
  await run(WRANGLER, ["pages", "functions", "build", "--outdir", fnOut], { cwd: join(ROOT, "web") });
  const { raw, gzip } = bundleSize(fnOut);
  return `  Pages Functions bundle: ${kib(raw)} raw, ${kib(gzip)} gzip`;
});
await rm(out, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
