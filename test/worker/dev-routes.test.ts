import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DevIngestion } from "../../worker/dev/routes";
import { deliver, drain, steppedEnv } from "./helpers/drive";
import { genCsv, syntheticRows } from "./helpers/gen-csv";
import { ingestionIdOfKey, putObject } from "./helpers/ingest";

async function devIngestion(id: string): Promise<DevIngestion> {
  const response = await exports.default.fetch(new Request(`http://local/__dev/ingestions/${id}`));
  expect(response.status).toBe(200);
  return response.json();
}

describe("GET /__dev/ingestions/{id} (what npm run upload -- --wait polls)", () => {
  it("is the API's view of the ingestion, with the rows of the chunks done so far and its D1 statements", async () => {
    const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: "2009" });
    await deliver(testEnv, await putObject("dev-route.csv", genCsv(syntheticRows(400, 2019))));
    const id = await ingestionIdOfKey("dev-route.csv");
    const [first, ...rest] = testEnv.INGEST_QUEUE.take();
    await deliver(testEnv, first);

    const during = await devIngestion(id);
    expect(during).toMatchObject({ id, status: "processing", objectKey: "dev-route.csv", dataYear: 2019 });
    expect(during.rows.read).toBe(0); // the record counts rows once the ingestion ends
    expect(during.chunks.done).toBe(1);
    expect(during.chunks.total).toBeGreaterThan(5);
    expect(during.progress.rowsRead).toBeGreaterThan(0);
    expect(during.progress.rowsRead).toBeLessThan(400);

    for (const body of rest) await deliver(testEnv, body);
    await drain(testEnv);
    const done = await devIngestion(id);
    expect(done).toMatchObject({ status: "done", active: true, rows: { read: 400, loaded: 400, rejected: 0 } });
    expect(done.progress).toMatchObject({ rowsRead: 400, rowsLoaded: 400, rowsRejected: 0 });
    const row = await env.DB.prepare("SELECT d1_statements FROM ingestions WHERE id = ?")
      .bind(id)
      .first<number>("d1_statements");
    expect(done.progress.d1Statements).toBe(row);
    expect(row).toBeGreaterThan(0);
  });

  it("answers 404 with a reason for an ingestion the consumer has not recorded", async () => {
    const response = await exports.default.fetch(new Request("http://local/__dev/ingestions/nope"));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: expect.stringContaining("No ingestion nope") });
  });
});
