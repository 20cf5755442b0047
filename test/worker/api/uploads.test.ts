import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { waitForIngestion } from "../helpers/ingest";
import { call, problem, userWithRole } from "./helpers";

const CSV = [
  "SEQGEN23,YEAR,PSTATEABB,PNAME,GENID,GENNTAN",
  '1,2023,AZ,Palo Verde,1,"10,000"',
  '2,2023,AZ,Palo Verde,2,"5,000"',
  "3,2023,VT,Tiny Hydro,1,12",
  "",
].join("\r\n");

let owner: { id: string; token: string };
beforeAll(async () => {
  owner = await userWithRole("owner");
});

function upload(body: BodyInit, headers: Record<string, string>, query = "") {
  return call(`/api/v1/uploads${query}`, { method: "POST", token: owner.token, headers, body });
}

describe("POST /api/v1/uploads", () => {
  it("stores the CSV in R2 under a safe key, queues it, and the pipeline ingests it", async () => {
    const res = await upload(CSV, { "Content-Type": "text/csv" }, "?filename=../../etc/My%20eGRID%202023.csv");
    expect(res.status).toBe(202);
    const body = (await res.json()) as { ingestionId: string; objectKey: string; location: string; sizeBytes: number };
    expect(body.objectKey).toMatch(/^uploads\/\d{4}-\d{2}-\d{2}\/[0-9a-f-]{36}-My_eGRID_2023\.csv$/);
    expect(res.headers.get("location")).toBe(`/api/v1/ingestions/${body.ingestionId}`);
    const object = await env.UPLOADS.get(body.objectKey);
    expect(await object?.text()).toBe(CSV);
    expect(object?.customMetadata?.uploadedBy).toBe(owner.id);

    const seen: string[] = [];
    for (let i = 0; i < 500; i++) {
      const poll = await call(body.location, { token: owner.token });
      expect(poll.status).toBe(200);
      const ingestion = (await poll.json()) as { status: string; uploadedBy: string; rows: { loaded: number } };
      seen.push(ingestion.status);
      expect(ingestion.uploadedBy).toBe(owner.id);
      if (["done", "failed", "skipped"].includes(ingestion.status)) {
        expect(ingestion).toMatchObject({ status: "done", rows: { loaded: 3 } });
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(seen[0]).toMatch(/queued|processing|done/);
    expect(seen.at(-1)).toBe("done");
    const top = await call("/api/v1/plants/top?year=2023&n=1", { token: owner.token });
    expect(((await top.json()) as { data: unknown[] }).data).toEqual([
      expect.objectContaining({ name: "Palo Verde", state: "AZ", netGenerationMwh: 15000, generatorCount: 2 }),
    ]);
  });

  it("413 when Content-Length exceeds the limit, before reading the body", async () => {
    const res = await upload("a,b\n1,2\n", { "Content-Type": "text/csv", "Content-Length": String(300 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect((await problem(res)).detail).toMatch(/limit is 209715200 bytes/);
  });

  it("415 for a non-CSV content type, with the accepted types", async () => {
    const res = await upload("{}", { "Content-Type": "application/json" });
    expect(res.status).toBe(415);
    expect(((await problem(res)).reasons as string[])[0]).toMatch(/text\/csv/);
  });

  it("415 for binary content labelled text/csv: zip, NUL bytes, UTF-16, no commas", async () => {
    const cases: [Uint8Array<ArrayBuffer> | string, RegExp][] = [
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), /ZIP archive/],
      [new Uint8Array([0x61, 0x2c, 0x62, 0x00, 0x0a]), /NUL byte at offset 3/],
      [new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x2c, 0x00]), /UTF-16/],
      ["just some words\nmore words\n", /no comma/],
    ];
    const before = (await env.UPLOADS.list({ prefix: "uploads/" })).objects.length;
    for (const [body, reason] of cases) {
      const res = await upload(body, { "Content-Type": "text/csv" });
      expect(res.status).toBe(415);
      const doc = await problem(res);
      expect((doc.reasons as string[]).join("; ")).toMatch(reason);
    }
    expect((await env.UPLOADS.list({ prefix: "uploads/" })).objects.length).toBe(before);
  });

  it("accepts a Windows-1252 CSV (Excel's plain CSV), which the pipeline loads with its names exact", async () => {
    const latin1 = Uint8Array.from(CSV.replace("Tiny Hydro", "Pe\u00f1asco Caf\u00e9"), (c) => c.charCodeAt(0));
    const res = await upload(latin1, { "Content-Type": "text/csv" });
    expect(res.status).toBe(202);
    const { ingestionId } = (await res.json()) as { ingestionId: string };
    const record = await waitForIngestion(ingestionId);
    expect(record).toMatchObject({ status: "done", rows_loaded: 3, rows_rejected: 0 });
    const name = await env.DB.prepare("SELECT plant_name FROM generators WHERE ingestion_id = ? AND seq = 3")
      .bind(ingestionId)
      .first<string>("plant_name");
    expect(name).toBe("Pe\u00f1asco Caf\u00e9");
  });

  it("403 for an analyst, 401 without a token", async () => {
    const analyst = await userWithRole("analyst");
    const res = await call("/api/v1/uploads", {
      method: "POST",
      token: analyst.token,
      headers: { "Content-Type": "text/csv" },
      body: CSV,
    });
    expect(res.status).toBe(403);
    const anonymous = await call("/api/v1/uploads", {
      method: "POST",
      headers: { "Content-Type": "text/csv" },
      body: CSV,
    });
    expect(anonymous.status).toBe(401);
  });
});
