// What is published for a year is the owner's latest intent: upload order, re-puts (rollback),
// held mistakes, publishing and withdrawing by hand. Real bindings throughout (R2, D1, the queue
// consumer); each test uses its own data years, as storage is shared within a file.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { reconcile } from "../../../worker/ingest/reconcile";
import { call, problem, userWithRole } from "../api/helpers";
import { deliver, drain, steppedEnv } from "../helpers/drive";
import { genCsv, syntheticRows } from "../helpers/gen-csv";
import { ingestCsv, ingestionIdOfKey, putObject, realDataFile, waitForIngestion } from "../helpers/ingest";

async function published(year: number): Promise<string | null> {
  return env.DB.prepare("SELECT ingestion_id FROM datasets WHERE data_year = ? AND withdrawn_at IS NULL")
    .bind(year)
    .first<string>("ingestion_id");
}

async function record(id: string) {
  return env.DB.prepare("SELECT * FROM ingestions WHERE id = ?").bind(id).first<Record<string, unknown>>();
}

/** Puts a file and runs its notification through the real consumer (in this test's order). */
async function upload(key: string, csv: string | Uint8Array, vars: Partial<Env> = {}) {
  const testEnv = steppedEnv(vars);
  const notification = await putObject(key, csv);
  await deliver(testEnv, notification);
  await drain(testEnv);
  return record(await ingestionIdOfKey(key));
}

async function topPlant(year: number, token: string) {
  const res = await call(`/api/v1/plants/top?n=1&year=${year}`, { token });
  return { status: res.status, body: (await res.json()) as { data?: Array<{ name: string }> } };
}

describe("every upload counts, in upload order", () => {
  it("re-putting earlier bytes at the same key publishes them again (rollback)", async () => {
    const a = genCsv(syntheticRows(40, 2001));
    const b = genCsv(syntheticRows(40, 2001, 3));
    const first = await upload("uploads/same.csv", a);
    expect(first).toMatchObject({ status: "done" });
    const second = await upload("uploads/same.csv", b);
    expect(await published(2001)).toBe(second?.id);
    // The third put of A is a new upload event: A is the owner's intent again.
    const third = await upload("uploads/same.csv", a);
    expect(third?.id).toBe(first?.id);
    expect(await published(2001)).toBe(first?.id);
    // Instant: A's rows were kept (overwritten versions stay within retention), not reloaded.
    expect(third?.completed_at).toBe(first?.completed_at);
    const total = await env.DB.prepare("SELECT sum(net_generation_mwh) AS t FROM plants WHERE ingestion_id = ?")
      .bind(first?.id)
      .first<number>("t");
    expect(total).toBe((40 * 41) / 2);
    expect(await record(second?.id as string)).toMatchObject({ status: "done", superseded_by: first?.id });
  });

  it("a redelivered notification of an older upload changes nothing", async () => {
    const testEnv = steppedEnv();
    const old = await putObject("uploads/old-2002.csv", genCsv(syntheticRows(30, 2002)));
    await deliver(testEnv, old);
    await drain(testEnv);
    const newer = await upload("uploads/new-2002.csv", genCsv(syntheticRows(30, 2002, 2)));
    expect(await published(2002)).toBe(newer?.id);
    await deliver(testEnv, old); // same eventTime: a duplicate, not an upload
    await drain(testEnv);
    expect(await published(2002)).toBe(newer?.id);
  });

  it("the file uploaded last wins even when an earlier, larger upload finishes after it", async () => {
    const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: "2048" } as Partial<Env>);
    const original = await putObject("uploads/original-2003.csv", genCsv(syntheticRows(400, 2003)));
    const revision = await putObject("uploads/revision-2003.csv", genCsv(syntheticRows(300, 2003, 5)));
    expect(Date.parse(revision.eventTime)).toBeGreaterThan(Date.parse(original.eventTime));
    // The original's chunks are planned first, then the small revision runs start to finish.
    await deliver(testEnv, original);
    const originalChunks = testEnv.INGEST_QUEUE.take();
    expect(originalChunks.length).toBeGreaterThan(1);
    await deliver(testEnv, revision);
    await drain(testEnv);
    const revisionId = await ingestionIdOfKey("uploads/revision-2003.csv");
    expect(await published(2003)).toBe(revisionId);
    for (const body of originalChunks) await deliver(testEnv, body);
    await drain(testEnv);
    const originalId = await ingestionIdOfKey("uploads/original-2003.csv");
    expect(await record(originalId)).toMatchObject({ status: "done", superseded_by: revisionId });
    expect(await published(2003)).toBe(revisionId);
  });
});

describe("mistakes are held, not published", () => {
  it("holds a truncated real 2023 file, publishes it by hand, and rolls back by re-putting the real file", async () => {
    const owner = await userWithRole("owner");
    const real = await realDataFile("egrid2023_gen23.csv");
    const full = await ingestCsv(real, "uploads/egrid2023_gen23.csv");
    expect(full).toMatchObject({ status: "done", plant_count: 12_606 });
    const lines = new TextDecoder().decode(real).split("\r\n").slice(0, 40).join("\r\n");
    const truncated = await ingestCsv(`${lines}\r\n`, "uploads/egrid2023_first40.csv");
    expect(truncated.status).toBe("held");
    const reason = (await record(truncated.id))?.hold_reason as string;
    expect(reason).toMatch(/12,606 plants/);
    expect(reason).toMatch(new RegExp(`has ${truncated.plant_count} plants`));
    expect(reason).toMatch(/POST \/api\/v1\/datasets\/2023\/active/);
    expect(await published(2023)).toBe(full.id);
    expect((await topPlant(2023, owner.token)).body.data?.[0]?.name).toBe("Palo Verde");

    // The datasets view lists both; the held one can be published by hand.
    const list = (await (await call("/api/v1/datasets", { token: owner.token })).json()) as {
      data: Array<{
        year: number;
        state: string;
        versions: Array<{ ingestionId: string; status: string; canActivate: boolean }>;
      }>;
      storage: { generators: number };
    };
    const y2023 = list.data.find((y) => y.year === 2023);
    expect(y2023?.state).toBe("published");
    expect(y2023?.versions.map((v) => [v.ingestionId, v.status, v.canActivate])).toEqual([
      [truncated.id, "held", true],
      [full.id, "done", false],
    ]);
    expect(list.storage.generators).toBeGreaterThanOrEqual(26_601);

    const publish = await call("/api/v1/datasets/2023/active", {
      method: "POST",
      token: owner.token,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ingestionId: truncated.id }),
    });
    expect(publish.status).toBe(200);
    expect(await published(2023)).toBe(truncated.id);
    expect((await record(truncated.id))?.status).toBe("done");
    expect((await topPlant(2023, owner.token)).body.data?.[0]?.name).not.toBe("Palo Verde");

    // Re-putting the real file is a new upload: it is published again (its rows were kept).
    await env.INGEST_QUEUE.send(await putObject("uploads/egrid2023_gen23.csv", real));
    await expect.poll(() => published(2023), { timeout: 20_000 }).toBe(full.id);
    expect((await topPlant(2023, owner.token)).body.data?.[0]?.name).toBe("Palo Verde");
  });

  it("holds a file whose year is implausible, so it never becomes the default year", async () => {
    const owner = await userWithRole("owner");
    const future = await ingestCsv(genCsv(syntheticRows(5, 2100)), "uploads/year-2100.csv");
    expect(future.status).toBe("held");
    expect((await record(future.id))?.hold_reason).toMatch(/data year is 2100/);
    expect(await published(2100)).toBeNull();
    const years = (await (await call("/api/v1/years", { token: owner.token })).json()) as {
      data: Array<{ year: number }>;
    };
    expect(years.data.map((y) => y.year)).not.toContain(2100);
  });
});

describe("owners publish and withdraw by hand", () => {
  it("withdraws a year (404 like a year never loaded) and restores it", async () => {
    const owner = await userWithRole("owner");
    const first = await ingestCsv(genCsv(syntheticRows(20, 2004)), "uploads/w-2004-a.csv");
    const testEnv = steppedEnv();
    const older = await putObject("uploads/w-2004-older.csv", genCsv(syntheticRows(20, 2004, 7)));
    await new Promise((r) => setTimeout(r, 5));

    const withdraw = await call("/api/v1/datasets/2004/active", { method: "DELETE", token: owner.token });
    expect(withdraw.status).toBe(200);
    expect(await withdraw.json()).toMatchObject({
      year: 2004,
      state: "withdrawn",
      activeIngestionId: null,
      withdrawnIngestionId: first.id,
    });
    const gone = await call("/api/v1/plants/top?year=2004", { token: owner.token });
    expect(gone.status).toBe(404);
    expect((await problem(gone)).detail).toMatch(/no dataset for year 2004/);

    // A file uploaded before the withdrawal, finishing after it, does not publish the year again.
    await deliver(testEnv, older);
    await drain(testEnv);
    expect(await published(2004)).toBeNull();

    const restore = await call("/api/v1/datasets/2004/active", {
      method: "POST",
      token: owner.token,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ingestionId: first.id }),
    });
    expect(restore.status).toBe(200);
    expect(await restore.json()).toMatchObject({
      state: "published",
      activeIngestionId: first.id,
      activatedBy: owner.email,
    });
    expect((await topPlant(2004, owner.token)).status).toBe(200);

    // A later upload wins over the hand-published version.
    const later = await ingestCsv(genCsv(syntheticRows(20, 2004, 3)), "uploads/w-2004-later.csv");
    expect(await published(2004)).toBe(later.id);
  });

  it("refuses to publish what cannot be published, saying why", async () => {
    const owner = await userWithRole("owner");
    const done = await ingestCsv(genCsv(syntheticRows(10, 2005)), "uploads/p-2005.csv");
    const post = (year: number, ingestionId: string) =>
      call(`/api/v1/datasets/${year}/active`, {
        method: "POST",
        token: owner.token,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ingestionId }),
      });
    const wrongYear = await post(2006, done.id);
    expect(wrongYear.status).toBe(409);
    expect((await problem(wrongYear)).detail).toMatch(/holds 2005 data, not 2006/);
    expect((await post(2005, "nope")).status).toBe(404);
    await env.UPLOADS.delete("uploads/p-2005.csv");
    const deleted = await post(2005, done.id);
    expect(deleted.status).toBe(409);
    expect((await problem(deleted)).detail).toMatch(/deleted or overwritten/);
    const analyst = await userWithRole("analyst");
    expect((await call("/api/v1/datasets", { token: analyst.token })).status).toBe(403);
    expect((await call("/api/v1/datasets/2005/active", { method: "DELETE", token: analyst.token })).status).toBe(403);
    expect((await call("/api/v1/datasets/1999/active", { method: "DELETE", token: owner.token })).status).toBe(404);
  });
});

it("a held overwrite of the published file's key keeps the published data, reconciler included", async () => {
  const full = await upload("uploads/k-2008.csv", genCsv(syntheticRows(30, 2008)));
  const truncated = await upload("uploads/k-2008.csv", genCsv(syntheticRows(3, 2008)));
  expect(truncated).toMatchObject({ status: "held" });
  expect(await published(2008)).toBe(full?.id);
  await reconcile(steppedEnv());
  expect(await published(2008)).toBe(full?.id);
  expect(await record(full?.id as string)).toMatchObject({ status: "done" });
});

it("re-putting a version whose rows were purged loads it again", async () => {
  const a = genCsv(syntheticRows(25, 2007));
  const first = await upload("uploads/purged-2007.csv", a);
  await upload("uploads/purged-2007.csv", genCsv(syntheticRows(25, 2007, 2)));
  await env.DB.batch([
    env.DB.prepare("DELETE FROM generators WHERE ingestion_id = ?").bind(first?.id),
    env.DB.prepare("DELETE FROM plants WHERE ingestion_id = ?").bind(first?.id),
    env.DB.prepare("DELETE FROM plant_parts WHERE ingestion_id = ?").bind(first?.id),
    env.DB.prepare("UPDATE ingestions SET purged_at = 1 WHERE id = ?").bind(first?.id),
  ]);
  const again = await upload("uploads/purged-2007.csv", a);
  expect(again).toMatchObject({ id: first?.id, status: "done", purged_at: null, plant_count: 25 });
  expect(await published(2007)).toBe(first?.id);
  expect(await waitForIngestion(first?.id as string)).toMatchObject({ rows_loaded: 25 });
});
