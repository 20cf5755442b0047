// @vitest-environment node
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const SCRIPT = resolve(import.meta.dirname, "../../web/scripts/check-size.mjs");
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fake Vite build: index.html loading entry.js (+ a modulepreload), and a lazy chunk. */
function fakeDist(entryBytes: Buffer, lazyBytes = Buffer.from("export const x = 1;")) {
  const dist = mkdtempSync(join(tmpdir(), "check-size-"));
  dirs.push(dist);
  mkdirSync(join(dist, "assets"));
  writeFileSync(join(dist, "assets", "entry.js"), entryBytes);
  writeFileSync(join(dist, "assets", "shared.js"), "export const y = 2;");
  writeFileSync(join(dist, "assets", "lazy.js"), lazyBytes);
  writeFileSync(
    join(dist, "index.html"),
    `<script type="module" crossorigin src="/assets/entry.js"></script><link rel="modulepreload" crossorigin href="/assets/shared.js">`,
  );
  return dist;
}

const check = (dist: string) => spawnSync(process.execPath, [SCRIPT, dist], { encoding: "utf8" });

describe("web/scripts/check-size.mjs", () => {
  it("passes a small entry and does not count lazy chunks", () => {
    // Random bytes do not compress: 200 KB lazy would break the budget if it were counted.
    const result = check(fakeDist(Buffer.from("console.log(1);".repeat(100)), randomBytes(200 * 1024)));
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/initial\s+\/assets\/entry\.js/);
    expect(result.stdout).toMatch(/initial\s+\/assets\/shared\.js/);
    expect(result.stdout).toMatch(/lazy\s+\/assets\/lazy\.js/);
  });

  it("fails when the initial JavaScript is over 60 KB gzipped", () => {
    const result = check(fakeDist(randomBytes(70 * 1024)));
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/OVER the 60\.00 kB budget/);
  });

  it("fails clearly when there is no build", () => {
    const result = check(join(tmpdir(), "no-such-dist-egrid"));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/run `npm run build:web` first/);
  });
});
