import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, problem, seedDataset, userWithRole } from "./helpers";

let token: string;
beforeAll(async () => {
  token = (await userWithRole("owner")).token;
  await seedDataset("ing-a", 2022, [{ name: "P", state: "OH", net: 1 }]);
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO ingestions (id, bucket, object_key, etag, status, error, rows_read, rows_rejected, chunk_count, queued_at)
       VALUES ('ing-b', 'egrid-uploads', 'uploads/bad.csv', 'e', 'failed', 'not a GEN sheet', 3, 2, 2, ?1)`,
    ).bind(Date.now() + 1000),
    env.DB.prepare(
      "INSERT INTO ingestion_chunks (ingestion_id, chunk_index, byte_start, byte_end, first_line, status) VALUES ('ing-b', 0, 0, 10, 1, 'done'), ('ing-b', 1, 10, 20, 5, 'pending')",
    ),
    env.DB.prepare(
      "INSERT INTO rejected_rows (ingestion_id, line, reason, raw) VALUES ('ing-b', 7, 'unknown state code \"ZZ\"', '1,2023,ZZ,x,1,2'), ('ing-b', 4, 'missing plant name', '1,2023,TX,,1,2')",
    ),
  ]);
});

describe("GET /api/v1/ingestions", () => {
  it("lists newest first with status, counts, progress and whether each is active", async () => {
    const res = await call("/api/v1/ingestions", { token });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: Record<string, unknown>[] };
    expect(data.map((i) => [i.id, i.status, i.active])).toEqual([
      ["ing-b", "failed", false],
      ["ing-a", "done", true],
    ]);
    expect(data[0]).toMatchObject({
      error: "not a GEN sheet",
      rows: { read: 3, loaded: 0, rejected: 2 },
      chunks: { total: 2, done: 1 },
    });
    const failed = (await (await call("/api/v1/ingestions?status=failed", { token })).json()) as { data: unknown[] };
    expect(failed.data).toHaveLength(1);
  });

  it("shows one ingestion with its rejected-row sample in line order", async () => {
    const res = await call("/api/v1/ingestions/ing-b", { token });
    const body = (await res.json()) as { rejectedSample: { line: number; reason: string }[] };
    expect(body.rejectedSample.map((r) => [r.line, r.reason])).toEqual([
      [4, "missing plant name"],
      [7, 'unknown state code "ZZ"'],
    ]);
  });

  it("problems for an unknown id and a bad status filter", async () => {
    const missing = await call("/api/v1/ingestions/nope", { token });
    expect(missing.status).toBe(404);
    await problem(missing);
    const bad = await call("/api/v1/ingestions?status=exploded", { token });
    expect(bad.status).toBe(400);
    expect((await problem(bad)).detail).toMatch(
      /^status must be one of "queued", .* \(got "exploded"\), e.g. status=done$/,
    );
  });
});

describe("POST /api/v1/imports", () => {
  it("409 problem naming the missing S3_IMPORT_* settings when the import is not configured", async () => {
    const res = await call("/api/v1/imports", { method: "POST", token });
    expect(res.status).toBe(409);
    const body = await problem(res);
    expect(body.missing).toEqual(expect.arrayContaining(["S3_IMPORT_ENDPOINT", "S3_IMPORT_BUCKET"]));
  });

  it("403 for an analyst", async () => {
    const analyst = await userWithRole("analyst");
    expect((await call("/api/v1/imports", { method: "POST", token: analyst.token })).status).toBe(403);
  });
});
