import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
// package.json "bin" of drizzle-kit (its exports do not list the file).
const drizzleKit = join(root, "node_modules/drizzle-kit/bin.cjs");

/** Runs `drizzle-kit generate` for the repo's schema against a copy of migrations/; returns the files it holds after. */
async function generateIntoCopy(): Promise<{ before: string[]; after: string[]; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), "egrid-migrations-"));
  try {
    await cp(join(root, "migrations"), join(dir, "migrations"), { recursive: true });
    const before = await readdir(join(dir, "migrations"), { recursive: true });
    // drizzle-kit resolves --out against its working directory; the schema is read in place.
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [
        drizzleKit,
        "generate",
        "--dialect",
        "sqlite",
        "--schema",
        join(root, "worker/db/schema/index.ts"),
        "--out",
        "migrations",
      ],
      { cwd: dir },
    );
    const after = await readdir(join(dir, "migrations"), { recursive: true });
    return { before: before.sort(), after: after.sort(), output: stdout + stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// The drizzle schema is the source of truth for D1's tables: a schema edit without its migration,
// or a migration written by hand that the schema does not match, shows up here as a pending
// migration. drizzle cannot declare WITHOUT ROWID, so a generated migration that rebuilt
// `generators` or `plant_parts` would drop it; test/worker/db/without-rowid.test.ts catches that.
describe("drizzle-kit generate", () => {
  it("finds the schema and migrations/ in agreement: no new migration", async () => {
    const { before, after, output } = await generateIntoCopy();
    expect(output).toContain("No schema changes");
    expect(after).toEqual(before);
  });
});
