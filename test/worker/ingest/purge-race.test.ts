// A purge deletes a version's rows in bounded steps over several queue messages. A version that
// is being purged must never be published again part-way (by hand, or by a re-put reusing its
// rows): readers would see a year with plants missing.
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { applyRetention } from "../../../worker/ingest/retention";
import { purgeIngestionRows } from "../../../worker/ingest/retract";
import { call, userWithRole } from "../api/helpers";
import { d1Double } from "../helpers/d1-double";
import { steppedEnv } from "../helpers/drive";
import { genCsv, syntheticRows } from "../helpers/gen-csv";
import { ingestCsv } from "../helpers/ingest";

it("a version whose purge stopped part-way cannot be published by hand, and its purge resumes", async () => {
  const owner = await userWithRole("owner");
  const old = await ingestCsv(genCsv(syntheticRows(40, 2016)), "uploads/race-2016-a.csv");
  const current = await ingestCsv(genCsv(syntheticRows(40, 2016, 2)), "uploads/race-2016-b.csv");
  expect(current.status).toBe("done");
  // TEST DOUBLE of D1: the purge's first delete batch commits, then the message dies (as if the
  // isolate were evicted before the next statement).
  let batches = 0;
  const dying = d1Double(env.DB, async (statements, run) => {
    const results = await run(statements);
    if (++batches === 1) throw new Error("isolate evicted mid-purge");
    return results;
  });
  await expect(purgeIngestionRows({ ...env, DB: dying }, old.id)).rejects.toThrow(/evicted/);
  const publish = await call("/api/v1/datasets/2016/active", {
    method: "POST",
    token: owner.token,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ingestionId: old.id }),
  });
  expect(publish.status).toBe(409);
  const active = await env.DB.prepare("SELECT ingestion_id FROM datasets WHERE data_year = 2016").first("ingestion_id");
  expect(active).toBe(current.id);
  expect(await purgeIngestionRows(env, old.id)).toBe(true);
});

it("a purge that stopped before deleting anything is found again by retention and completes", async () => {
  const kept = await ingestCsv(genCsv(syntheticRows(30, 2017)), "uploads/resume-2017-a.csv");
  await ingestCsv(genCsv(syntheticRows(30, 2017, 2)), "uploads/resume-2017-b.csv");
  // TEST DOUBLE of D1: the message dies before its first delete batch runs.
  const dying = d1Double(env.DB, async () => {
    throw new Error("isolate evicted before deleting");
  });
  await expect(purgeIngestionRows({ ...env, DB: dying }, kept.id)).rejects.toThrow(/evicted/);
  const rows = () => env.DB.prepare("SELECT count(*) AS n FROM plants WHERE ingestion_id = ?").bind(kept.id).first("n");
  expect(await rows()).toBe(30);
  expect(await applyRetention(steppedEnv())).toContain(kept.id);
  expect(await purgeIngestionRows(env, kept.id)).toBe(true);
  expect(await rows()).toBe(0);
});
