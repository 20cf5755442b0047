import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { type Ingestion, normalizeIngestion, waitForIngestion } from "../../scripts/lib/local-ingest.ts";
import { freePort } from "../../scripts/lib/processes.ts";

/** The dev route's answer for an ingestion, as worker/dev/routes.ts sends it. */
const devRouteBody = (status: string, chunksDone: number) => ({
  ingestion: {
    id: "abc",
    status,
    object_key: "uploads/gen.csv",
    data_year: 2023,
    rows_read: status === "done" ? 300 : 0,
    rows_loaded: status === "done" ? 297 : 0,
    rows_rejected: status === "done" ? 3 : 0,
    plant_count: status === "done" ? 120 : null,
    chunk_count: 3,
    error: null,
    started_at: 1,
    completed_at: status === "done" ? 2 : null,
  },
  progress: {
    chunks: 3,
    chunksDone,
    rowsRead: chunksDone * 100,
    rowsLoaded: chunksDone * 99,
    rowsRejected: chunksDone,
  },
  rejected: [{ line: 7, reason: 'unknown state code "XX"', raw: "..." }],
});

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

/** A stand-in dev route answering `replies` in order; "hang" never answers that request. */
async function serve(replies: (object | 404 | "hang")[]): Promise<string> {
  let i = 0;
  server = createServer((_req, res) => {
    const reply = replies[Math.min(i++, replies.length - 1)];
    if (reply === "hang") return;
    res.writeHead(reply === 404 ? 404 : 200, { "content-type": "application/json" });
    res.end(JSON.stringify(reply === 404 ? { error: "No ingestion abc (yet)" } : reply));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

describe("normalizeIngestion", () => {
  it("reads the dev route's snake_case row, counting chunks still in flight", () => {
    expect(normalizeIngestion(devRouteBody("processing", 2))).toMatchObject({
      id: "abc",
      status: "processing",
      key: "uploads/gen.csv",
      dataYear: 2023,
      rowsRead: 200,
      rowsLoaded: 198,
      chunkCount: 3,
      chunksDone: 2,
      plantCount: null,
    });
    expect(normalizeIngestion(devRouteBody("done", 3))).toMatchObject({
      rowsRead: 300,
      rowsLoaded: 297,
      rowsRejected: 3,
      plantCount: 120,
      rejected: [{ line: 7, reason: 'unknown state code "XX"' }],
    });
  });

  it("reads an API-style camelCase record too", () => {
    expect(normalizeIngestion({ id: "x", status: "failed", rowsRead: 0, error: "Not a GEN sheet" })).toMatchObject({
      status: "failed",
      error: "Not a GEN sheet",
      rowsRead: 0,
      rejected: [],
    });
  });
});

describe("waitForIngestion", () => {
  it("waits through 404s and a Worker too busy to answer, reporting each change until done", async () => {
    const url = await serve([
      404,
      "hang",
      devRouteBody("processing", 1),
      devRouteBody("processing", 1),
      devRouteBody("done", 3),
    ]);
    const seen: string[] = [];
    let busy = 0;
    const result = await waitForIngestion(url, "abc", {
      intervalMs: 1,
      requestTimeoutMs: 200,
      onProgress: (i: Ingestion) => seen.push(`${i.status} ${i.chunksDone}/${i.chunkCount}`),
      onBusy: () => busy++,
    });
    expect(result.status).toBe("done");
    expect(busy).toBe(1);
    expect(seen).toEqual(["processing 1/3", "done 3/3"]);
  });

  it("says to run npm start when nothing listens", async () => {
    const port = await freePort();
    await expect(waitForIngestion(`http://127.0.0.1:${port}`, "abc")).rejects.toThrow(/Start it with `npm start`/);
  });
});
