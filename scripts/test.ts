// `npm test`: every vitest project (worker in workerd, web, node incl. S3 against a real S3
// server, e2e in Chromium). Says up front which prerequisites are missing and what that skips,
// and exits non-zero on any failure. Arguments pass through to vitest (e.g. --project worker).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { ROOT } from "./lib/processes.ts";

const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const compose = spawnSync("docker-compose", ["version"], { stdio: "ignore" }).status === 0;
const checks = [
  [existsSync(chromium), `Chromium (${chromium})`, "the browser (e2e) tests are skipped: apt-get install -y chromium"],
  [
    compose,
    "docker-compose (validates docker-compose.yml)",
    "the compose validation test is skipped: apt-get install -y docker-compose",
  ],
] as const;
console.log("[test] prerequisites:");
for (const [ok, what, consequence] of checks)
  console.log(`  ${ok ? "ok     " : "MISSING"} ${what}${ok ? "" : ` -> ${consequence}`}`);

const result = spawnSync("vitest", ["run", ...process.argv.slice(2)], { stdio: "inherit", cwd: ROOT });
const missing = checks.filter(([ok]) => !ok);
if (missing.length > 0) console.log("[test] skipped because prerequisites are missing:");
for (const [, what, consequence] of missing) console.log(`  - ${what}: ${consequence}`);
const failed = result.status === 0 ? "" : `FAILED (vitest exit ${result.status ?? result.signal})`;
console.log(`[test] ${failed || "all suites passed"}`);
process.exit(result.status ?? 1);
