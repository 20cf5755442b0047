import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { reconcile } from "../../../worker/ingest/reconcile";
import { deliver, drain, type SteppedEnv, steppedEnv } from "../helpers/drive";
import { genCsv, syntheticRows } from "../helpers/gen-csv";
import { ingestionIdOfKey, putObject } from "../helpers/ingest";
import { activeIngestion, generatorCount, ingestion } from "../helpers/queries";

// Storage is shared within this file: each test uses its own data years and keys.

async function upload(testEnv: SteppedEnv, key: string, year: number, rows: number, uploadedAt: number) {
  const notification = await putObject(key, genCsv(syntheticRows(rows, year)));
  await deliver(testEnv, { ...notification, eventTime: new Date(uploadedAt).toISOString() });
  await drain(testEnv);
  return ingestionIdOfKey(key);
}

/** Ingestions of a year that still have generator, plant-part or plant rows. */
async function versionsWithRows(year: number): Promise<string[]> {
  const { results } = await env.DB.prepare(
    `SELECT id FROM ingestions AS i WHERE data_year = ?1 AND (
       EXISTS (SELECT 1 FROM generators WHERE ingestion_id = i.id)
       OR EXISTS (SELECT 1 FROM plant_parts WHERE ingestion_id = i.id)
       OR EXISTS (SELECT 1 FROM plants WHERE ingestion_id = i.id)) ORDER BY id`,
  )
    .bind(year)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

describe("storage is reclaimed in bounded steps", () => {
  it("keeps the published version and the 2 most recently uploaded others, over 20 revisions", async () => {
    const testEnv = steppedEnv();
    const t = Date.now() - 60_000;
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      // Even revisions overwrite one key; odd ones get a new key each (as API uploads do).
      const key = i % 2 === 0 ? "rev/egrid2010.csv" : `rev/egrid2010-${i}.csv`;
      ids.push(await upload(testEnv, key, 2010, 5 + i, t + i * 1000));
      expect(await activeIngestion(2010)).toBe(ids[i]);
      expect((await versionsWithRows(2010)).length).toBeLessThanOrEqual(3);
    }
    const kept = ids.slice(17);
    expect(await versionsWithRows(2010)).toEqual([...kept].sort());
    for (const id of ids.slice(0, 17)) {
      expect(await ingestion(id)).toMatchObject({ purged_at: expect.any(Number) });
    }
    // Overwritten versions are kept as superseded versions (a re-put of their bytes is instant
    // while their rows are kept), and purged like any other beyond the window.
    expect(await ingestion(ids[16] as string)).toMatchObject({ status: "done", superseded_by: ids[17] });
    expect(await ingestion(ids[15] as string)).toMatchObject({ status: "done" });
    for (const id of kept) expect(await ingestion(id)).toMatchObject({ status: "done", purged_at: null });
  });

  it("never purges the version a year references, published or withdrawn", async () => {
    const testEnv = steppedEnv();
    const published = await upload(testEnv, "keep/egrid2011.csv", 2011, 4, Date.now());
    await deliver(testEnv, { type: "purge", ingestionId: published });
    expect(await generatorCount(published)).toBe(4);
    await env.DB.prepare("UPDATE datasets SET withdrawn_at = ?2 WHERE data_year = ?1").bind(2011, Date.now()).run();
    await deliver(testEnv, { type: "purge", ingestionId: published });
    expect(await generatorCount(published)).toBe(4);
    expect(await ingestion(published)).toMatchObject({ purged_at: null });
  });

  it("never purges a version that is being loaded again (a purge queued before its re-put)", async () => {
    const testEnv = steppedEnv();
    const t = Date.now() - 60_000;
    const first = await upload(testEnv, "reload/egrid2013-a.csv", 2013, 4, t);
    await upload(testEnv, "reload/egrid2013-b.csv", 2013, 5, t + 1000);
    // As the restart of a re-put leaves it while its chunks load (start.ts).
    await env.DB.prepare("UPDATE ingestions SET status = 'processing' WHERE id = ?").bind(first).run();
    await deliver(testEnv, { type: "purge", ingestionId: first });
    expect(await generatorCount(first)).toBe(4);
    expect(await ingestion(first)).toMatchObject({ purged_at: null });
  });

  it("the reconciler catches up when purge messages were lost", async () => {
    const testEnv = steppedEnv();
    const t = Date.now() - 60_000;
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const key = `catch/egrid2012-${i}.csv`;
      const notification = await putObject(key, genCsv(syntheticRows(3 + i, 2012)));
      await deliver(testEnv, { ...notification, eventTime: new Date(t + i * 1000).toISOString() });
      testEnv.INGEST_QUEUE.take(); // the purge messages retention queued are lost
      ids.push(await ingestionIdOfKey(key));
    }
    expect(await versionsWithRows(2012)).toHaveLength(4);
    const summary = await reconcile(testEnv);
    expect(summary.purging).toContain(ids[0]);
    await drain(testEnv);
    expect(await ingestion(ids[0] as string)).toMatchObject({ purged_at: expect.any(Number) });
    expect(await versionsWithRows(2012)).toEqual(ids.slice(1).sort());
  });
});
