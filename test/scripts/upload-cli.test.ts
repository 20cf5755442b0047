import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localD1Query } from "../../scripts/lib/local-ingest.ts";
import { freePort } from "../../scripts/lib/processes.ts";
import { type Stack, startStack } from "../../scripts/lib/stack.ts";

const root = resolve(import.meta.dirname, "../..");
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "egrid-upload-cli-"));
  await writeFile(join(dir, "gen.csv"), "SEQGEN23,YEAR,PSTATEABB,PNAME,GENID,GENNTAN\r\n1,2023,AK,A,1,5");
  await writeFile(join(dir, "gen.xlsx"), "not a csv");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `npm run upload -- ...args` the way bootstrap does (our Node, repo root as cwd). */
async function upload(args: string[], env: Record<string, string> = {}) {
  const cleanEnv: Record<string, string | undefined> = { ...process.env, INIT_CWD: dir, ...env };
  for (const name of ["S3_ENDPOINT", "S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"]) {
    if (!(name in env)) delete cleanEnv[name];
  }
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["scripts/upload.ts", ...args], {
      cwd: root,
      // wrangler types widens NodeJS.ProcessEnv with the Worker's vars; this is a plain environment.
      env: cleanEnv as NodeJS.ProcessEnv,
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe("npm run upload: argument errors", () => {
  it("asks for a file when none is given", async () => {
    const r = await upload([]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/which file\?/);
    expect(r.out).toMatch(/usage: npm run upload/);
  });

  it("refuses a file that is not .csv, saying what to do", async () => {
    const r = await upload(["gen.xlsx"]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/gen\.xlsx is not a \.csv file: export the GEN sheet/);
  });

  it("says when the file does not exist, with the path it looked at", async () => {
    const r = await upload(["missing.csv"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`file not found: ${join(dir, "missing.csv")}`);
  });

  it("refuses a key the pipeline would ignore", async () => {
    const r = await upload(["gen.csv", "--key", "uploads/gen.txt"]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/--key must end in \.csv/);
  });

  it("tells to run npm start when no local stack answers", async () => {
    const port = await freePort();
    const r = await upload(["gen.csv", "--api", `http://127.0.0.1:${port}`, "--persist-to", join(dir, "state")]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/no local stack answers at http:\/\/127\.0\.0\.1:\d+\. Start it with `npm start`/);
  });

  it("lists the S3 settings --s3 needs", async () => {
    const r = await upload(["gen.csv", "--s3"], { S3_BUCKET: "b" });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/--s3 needs S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY/);
  });

  it("--delete takes a key, not a file", async () => {
    const r = await upload(["gen.csv", "--delete", "uploads/gen.csv"]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/--delete takes the object key, not a file/);
  });

  it("rejects unknown options", async () => {
    const r = await upload(["gen.csv", "--wiat"]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/Unknown option '--wiat'/);
  });
});

// A whole local stack (API only, nothing seeded): about half a minute on a busy machine.
describe("npm run upload -- --delete on a local stack", { timeout: 300_000 }, () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ persistDir: join(dir, "state"), apiPort: 0, web: false, seed: "none", quiet: true });
    await writeFile(
      join(dir, "gen-b.csv"),
      "SEQGEN23,YEAR,PSTATEABB,PNAME,GENID,GENNTAN\r\n1,2023,AK,A,1,5\r\n2,2023,AK,B,1,7",
    );
  }, 300_000);
  afterAll(async () => {
    await stack?.stop();
  });
  const local = () => ["--persist-to", join(dir, "state"), "--api", stack.apiUrl];
  const published = async () =>
    (await localD1Query(join(dir, "state"), "SELECT ingestion_id FROM datasets WHERE data_year = 2023"))[0]
      ?.ingestion_id ?? null;

  it("deletes the object, sends R2's delete notification, and waits for the year to fall back", async () => {
    expect((await upload(["gen.csv", "--key", "uploads/a.csv", "--wait", ...local()])).code).toBe(0);
    const first = await published();
    expect((await upload(["gen-b.csv", "--key", "uploads/b.csv", "--wait", ...local()])).code).toBe(0);
    const second = await published();
    expect(second).not.toBe(first);

    const r = await upload(["--delete", "uploads/b.csv", "--wait", ...local()]);
    expect(r.out).toContain(`ingestion ${second}: retracted (data year 2023)`);
    expect(r.code).toBe(0);
    expect(await published()).toBe(first);

    const last = await upload(["--delete", "uploads/a.csv", "--wait", ...local()]);
    expect(last.code).toBe(0);
    expect(await published()).toBeNull();
    const again = await upload(["--delete", "uploads/a.csv", ...local()]);
    expect(again.out).toMatch(/no version of it was loaded or loading, so no data changed/);
  });

  it("putting earlier bytes again publishes them again and says so (was: 'nothing changed')", async () => {
    expect((await upload(["gen-b.csv", "--key", "uploads/c.csv", "--wait", ...local()])).code).toBe(0);
    const b = await published();
    expect((await upload(["gen.csv", "--key", "uploads/c.csv", "--wait", ...local()])).code).toBe(0);
    expect(await published()).not.toBe(b);
    const r = await upload(["gen-b.csv", "--key", "uploads/c.csv", "--wait", ...local()]);
    expect(r.out).toContain(`ingestion ${b}: loaded earlier; published again (its rows were kept, nothing reloaded)`);
    expect(r.code).toBe(0);
    expect(await published()).toBe(b);
  });
});
