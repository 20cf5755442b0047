import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureDevVars, parseDevVars } from "../../scripts/lib/dev-vars.ts";

const root = resolve(import.meta.dirname, "../..");
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "egrid-devvars-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("ensureDevVars", () => {
  it("creates .dev.vars with a 32-byte signing key, an admin login and the dev routes", async () => {
    const path = join(dir, ".dev.vars");
    const result = await ensureDevVars(path);
    expect(result.created).toBe(true);
    expect(result.missing).toEqual([]);
    const keys = JSON.parse(result.values.JWT_SIGNING_KEYS as string);
    expect(keys).toHaveLength(1);
    expect(keys[0].kid).toMatch(/^local-\d{4}-\d{2}-\d{2}$/);
    expect(Buffer.from(keys[0].secret, "base64url")).toHaveLength(32);
    expect(result.values.ADMIN_EMAIL).toMatch(/@/);
    expect(result.values.ADMIN_PASSWORD?.length).toBeGreaterThanOrEqual(20);
    expect(result.values.DEV_ROUTES).toBe("true");
    // Readable by its owner only: it holds secrets.
    expect((await stat(path)).mode & 0o077).toBe(0);
    // What is on disk reads back to the same values.
    expect(parseDevVars(await readFile(path, "utf8"))).toEqual(result.values);
  });

  it("generates different secrets for different files", async () => {
    const a = await ensureDevVars(join(dir, "a", ".dev.vars"));
    const b = await ensureDevVars(join(dir, "b", ".dev.vars"));
    expect(a.values.ADMIN_PASSWORD).not.toBe(b.values.ADMIN_PASSWORD);
    expect(a.values.JWT_SIGNING_KEYS).not.toBe(b.values.JWT_SIGNING_KEYS);
  });

  it("never overwrites an existing file, and says which keys it lacks", async () => {
    const path = join(dir, ".dev.vars");
    const mine = 'ADMIN_EMAIL="me@example.com"\nADMIN_PASSWORD=hunter2-but-longer # my own\n';
    await writeFile(path, mine);
    const result = await ensureDevVars(path);
    expect(result.created).toBe(false);
    expect(await readFile(path, "utf8")).toBe(mine);
    expect(result.values).toEqual({ ADMIN_EMAIL: "me@example.com", ADMIN_PASSWORD: "hunter2-but-longer" });
    expect(result.missing).toEqual(["JWT_SIGNING_KEYS", "DEV_ROUTES"]);
  });

  it("is git-ignored at the repository root", () => {
    // git check-ignore exits 0 when the path is ignored (and throws otherwise).
    const out = execFileSync("git", ["check-ignore", "-v", ".dev.vars"], { cwd: root, encoding: "utf8" });
    expect(out).toMatch(/\.dev\.vars/);
    expect(() => execFileSync("git", ["check-ignore", "-q", ".dev.vars.example"], { cwd: root })).toThrow();
  });
});

describe("parseDevVars", () => {
  it("reads the dotenv subset wrangler reads", () => {
    const text = [
      "# comment",
      `JWT_SIGNING_KEYS='[{"kid":"k","secret":"s"}]'`,
      'QUOTED="a b"',
      "PLAIN=value # trailing comment",
      "export EXPORTED=1",
      "",
    ].join("\n");
    expect(parseDevVars(text)).toEqual({
      JWT_SIGNING_KEYS: '[{"kid":"k","secret":"s"}]',
      QUOTED: "a b",
      PLAIN: "value",
      EXPORTED: "1",
    });
  });
});
