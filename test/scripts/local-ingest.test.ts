import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { type Ingestion, normalizeIngestion, waitForIngestion } from "../../scripts/lib/local-ingest.ts";
import { freePort } from "../../scripts/lib/processes.ts";
import type { DevIngestion } from "../../worker/dev/routes.ts";

/** The dev route's answer for an ingestion, as worker/dev/routes.ts sends it (the API's view plus chunk progress). */
const devRouteBody = (status: "processing" | "done", chunksDone: number): DevIngestion => ({
  id: "abc",
  bucket: "egrid-uploads",
  objectKey: "uploads/gen.csv",
  status,
  error: null,
  holdReason: null,
  active: status === "done",
  dataYear: 2023,
  sizeBytes: 1000,
  rows: status === "done" ? { read: 300, loaded: 297, rejected: 3 } : { read: 0, loaded: 0, rejected: 0 },
  plantCount: status === "done" ? 120 : null,
  chunks: { total: 3, done: chunksDone },
  attempts: 1,
  replacedIngestionId: null,
  supersededBy: null,
  uploadedBy: null,
  timings: {
    uploadedAt: "2026-12-01T00:00:00.000Z",
    queuedAt: "2026-12-01T00:00:00.000Z",
    startedAt: "2026-12-01T00:00:01.000Z",
    completedAt: status === "done" ? "2026-12-01T00:00:02.000Z" : null,
    durationMs: status === "done" ? 1000 : null,
  },
  rejectedSample: [{ line: 7, reason: 'unknown state code "XX"', raw: "..." }],
  progress: { rowsRead: chunksDone * 100, rowsLoaded: chunksDone * 99, rowsRejected: chunksDone, d1Statements: 9 },
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
  it("reads the dev route's ingestion, counting the rows of chunks still in flight", () => {
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
