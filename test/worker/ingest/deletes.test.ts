import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { R2EventNotification } from "../../../domain/r2-events";
import { reconcile } from "../../../worker/ingest/reconcile";
import { deliver, drain, type SteppedEnv, steppedEnv } from "../helpers/drive";
import { genCsv, syntheticRows } from "../helpers/gen-csv";
import { ingestionIdOfKey, putObject } from "../helpers/ingest";
import { activeIngestion, generatorCount, ingestion } from "../helpers/queries";

// Storage is shared within this file: each test uses its own data years and keys.

/** Puts a file of `rows` generators of `year` and runs its whole ingestion; `uploadedAt` is R2's eventTime. */
async function upload(testEnv: SteppedEnv, key: string, year: number, rows: number, uploadedAt = Date.now()) {
  const notification = await putObject(key, genCsv(syntheticRows(rows, year)));
  await deliver(testEnv, { ...notification, eventTime: new Date(uploadedAt).toISOString() });
  await drain(testEnv);
  return ingestionIdOfKey(key);
}

function deleteNotification(key: string): R2EventNotification {
  return {
    account: "local",
    action: "DeleteObject",
    bucket: env.UPLOADS_BUCKET_NAME,
    object: { key },
    eventTime: new Date().toISOString(),
  };
}

async function dataset(year: number) {
  return env.DB.prepare("SELECT * FROM datasets WHERE data_year = ?").bind(year).first<{
    ingestion_id: string;
    intent_at: number;
    withdrawn_at: number | null;
  }>();
}

describe("deletes are never lost", () => {
  it("retracts a delete whose retries ran out, on the dead-letter queue", async () => {
    const testEnv = steppedEnv();
    const older = await upload(testEnv, "dlq/egrid2001-a.csv", 2001, 5, Date.now() - 60_000);
    const newer = await upload(testEnv, "dlq/egrid2001-b.csv", 2001, 7);
    expect(await activeIngestion(2001)).toBe(newer);

    await env.UPLOADS.delete("dlq/egrid2001-b.csv");
    const result = await deliver(testEnv, deleteNotification("dlq/egrid2001-b.csv"), { queue: "egrid-ingest-dlq" });
    expect(result.explicitAcks).toHaveLength(1);
    expect(await ingestion(newer)).toMatchObject({ status: "retracted" });
    expect(await activeIngestion(2001)).toBe(older);
    await drain(testEnv);
    expect(await ingestion(newer)).toMatchObject({ purged_at: expect.any(Number) });
    expect(await generatorCount(newer)).toBe(0);
    expect(await generatorCount(older)).toBe(5);
  });

  it("catches a delete missed by notification in the reconciler, published or not", async () => {
    const testEnv = steppedEnv();
    const base = Date.now() - 60_000;
    const kept = await upload(testEnv, "missed/egrid2002-a.csv", 2002, 3, base);
    const unpublished = await upload(testEnv, "missed/egrid2002-b.csv", 2002, 4, base + 1000);
    const published = await upload(testEnv, "missed/egrid2002-c.csv", 2002, 5, base + 2000);
    expect(await activeIngestion(2002)).toBe(published);

    // Both deleted, no notification at all (lost, or never configured).
    await env.UPLOADS.delete("missed/egrid2002-c.csv");
    await env.UPLOADS.delete("missed/egrid2002-b.csv");
    const summary = await reconcile(testEnv);
    expect(summary.retracted).toEqual(expect.arrayContaining([published, unpublished]));
    expect(await activeIngestion(2002)).toBe(kept);
    expect(await ingestion(unpublished)).toMatchObject({ status: "retracted" });
    expect(await ingestion(published)).toMatchObject({ status: "retracted" });
    await drain(testEnv);
    expect(await generatorCount(published)).toBe(0);
    expect(await generatorCount(unpublished)).toBe(0);

    // Nothing left to find: a second run retracts nothing.
    expect((await reconcile(testEnv)).retracted).toEqual([]);
    await drain(testEnv);
  });

  it("the reconciler retracts an unpublished version whose object is gone, leaving the published one", async () => {
    const testEnv = steppedEnv();
    const t = Date.now() - 60_000;
    const unpublished = await upload(testEnv, "listed/egrid2006-a.csv", 2006, 3, t);
    const published = await upload(testEnv, "listed/egrid2006-b.csv", 2006, 4, t + 1000);
    await env.UPLOADS.delete("listed/egrid2006-a.csv");
    const summary = await reconcile(testEnv);
    expect(summary.retracted).toContain(unpublished);
    expect(summary.retracted).not.toContain(published);
    expect(await ingestion(unpublished)).toMatchObject({ status: "retracted" });
    expect(await dataset(2006)).toMatchObject({ ingestion_id: published });
    await drain(testEnv);
    expect(await generatorCount(unpublished)).toBe(0);
    expect(await generatorCount(published)).toBe(4);
  });

  it("falls back to the most recently uploaded version, whatever order they finished in", async () => {
    const testEnv = steppedEnv();
    const t = Date.now() - 60_000;
    // Finished in the order b, c; uploaded in the order c, b; then the published one.
    const b = await upload(testEnv, "order/egrid2003-b.csv", 2003, 2, t + 2000);
    const c = await upload(testEnv, "order/egrid2003-c.csv", 2003, 3, t + 1000);
    const published = await upload(testEnv, "order/egrid2003-p.csv", 2003, 5, t + 4000);
    expect(await activeIngestion(2003)).toBe(published);

    await env.UPLOADS.delete("order/egrid2003-p.csv");
    await deliver(testEnv, deleteNotification("order/egrid2003-p.csv"));
    expect(await dataset(2003)).toMatchObject({ ingestion_id: b, intent_at: t + 2000, withdrawn_at: null });
    await drain(testEnv);

    // An owner withdrew the year: deleting its remembered version keeps it withdrawn.
    await env.DB.prepare("UPDATE datasets SET withdrawn_at = ?2, intent_at = ?2 WHERE data_year = ?1")
      .bind(2003, t + 5000)
      .run();
    await env.UPLOADS.delete("order/egrid2003-b.csv");
    await deliver(testEnv, deleteNotification("order/egrid2003-b.csv"));
    expect(await dataset(2003)).toMatchObject({ ingestion_id: c, intent_at: t + 5000, withdrawn_at: t + 5000 });
    await env.UPLOADS.delete("order/egrid2003-c.csv");
    await deliver(testEnv, deleteNotification("order/egrid2003-c.csv"));
    expect(await dataset(2003)).toBeNull();
    await drain(testEnv);
  });

  it("skips fallback versions whose objects are gone, and retracts them", async () => {
    const testEnv = steppedEnv();
    const t = Date.now() - 60_000;
    const older = await upload(testEnv, "gone/egrid2005-x.csv", 2005, 2, t + 1000);
    const vanished = await upload(testEnv, "gone/egrid2005-y.csv", 2005, 3, t + 2000);
    const published = await upload(testEnv, "gone/egrid2005-p.csv", 2005, 5, t + 3000);
    expect(await activeIngestion(2005)).toBe(published);

    await env.UPLOADS.delete("gone/egrid2005-y.csv"); // gone without a notification
    await env.UPLOADS.delete("gone/egrid2005-p.csv");
    await deliver(testEnv, deleteNotification("gone/egrid2005-p.csv"));
    expect(await dataset(2005)).toMatchObject({ ingestion_id: older, intent_at: t + 1000 });
    expect(await ingestion(vanished)).toMatchObject({ status: "retracted" });
    await drain(testEnv);
    expect(await generatorCount(vanished)).toBe(0);
    expect(await generatorCount(older)).toBe(2);
  });

  it("keeps a version put again under the key after the delete", async () => {
    const testEnv = steppedEnv();
    await upload(testEnv, "again/egrid2004.csv", 2004, 3, Date.now() - 60_000);
    await env.UPLOADS.delete("again/egrid2004.csv");
    const reput = await upload(testEnv, "again/egrid2004.csv", 2004, 6);
    // The delete's notification arrives late, after the new put was loaded.
    await deliver(testEnv, deleteNotification("again/egrid2004.csv"));
    expect(await ingestion(reput)).toMatchObject({ status: "done" });
    expect(await activeIngestion(2004)).toBe(reput);
    await drain(testEnv);
    expect(await generatorCount(reput)).toBe(6);
  });

  it("the local dev route sends R2's delete notification, only once the object is gone", async () => {
    const testEnv = steppedEnv();
    const id = await upload(testEnv, "dev/egrid2007.csv", 2007, 3);
    const notify = () =>
      exports.default.fetch(
        new Request("http://local/__dev/notify", {
          method: "POST",
          body: JSON.stringify({ key: "dev/egrid2007.csv", action: "DeleteObject" }),
        }),
      );
    const refused = await notify();
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: expect.stringContaining("delete it first") });

    await env.UPLOADS.delete("dev/egrid2007.csv");
    const sent = await notify();
    expect(sent.status).toBe(202);
    expect(await sent.json()).toEqual({ key: "dev/egrid2007.csv", ingestionIds: [id] });
    // The real queue's consumer retracts it.
    for (let i = 0; i < 200 && (await ingestion(id))?.status !== "retracted"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await ingestion(id)).toMatchObject({ status: "retracted" });
    expect(await activeIngestion(2007)).toBeNull();
  });
});
