import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { deliver, drain, steppedEnv } from "../helpers/drive";
import { ingestionIdOfKey, putObject } from "../helpers/ingest";
import { call, loginAdmin, problem } from "./helpers";

const YEAR = 2017;
const HEADER =
  "Generator file sequence number,Data Year,Plant state abbreviation,Plant name,Generator ID,Generator annual net generation (MWh)\r\n" +
  "SEQGEN17,YEAR,PSTATEABB,PNAME,GENID,GENNTAN\r\n";
const MEGA = 2500;

// One plant of 2,500 generators interleaved with small plants, its sequence numbers running
// backwards, so file order, sequence order and chunk boundaries all disagree.
function megaCsv(): { csv: string; megaIds: string[] } {
  const rows: string[] = [];
  const megaIds: string[] = [];
  let seq = 10_000;
  for (let i = 0; i < MEGA; i++) {
    const id = `M${i}`;
    megaIds.push(id);
    rows.push(`${seq--},${YEAR},TX,Mega,${id},${i + 1}`);
    if (i % 97 === 0) rows.push(`${seq--},${YEAR},TX,Small ${i},S1,5`);
  }
  return { csv: HEADER + rows.map((r) => `${r}\r\n`).join(""), megaIds };
}

interface Page {
  data: {
    name: string;
    generatorCount: number;
    netGenerationMwh: number;
    generators: { generatorId: string; line: number }[];
  };
  meta: { limit: number; nextCursor: string | null; datasetVersion: string };
}

let token: string;
let megaIds: string[];
let datasetVersion: string;

beforeAll(async () => {
  const built = megaCsv();
  megaIds = built.megaIds;
  const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: "8192" });
  await deliver(testEnv, await putObject("paging/egrid2017.csv", built.csv));
  await drain(testEnv);
  datasetVersion = await ingestionIdOfKey("paging/egrid2017.csv");
  const chunks = await env.DB.prepare("SELECT chunk_count, status FROM ingestions WHERE id = ?")
    .bind(datasetVersion)
    .first<{ chunk_count: number; status: string }>();
  expect(chunks?.status).toBe("done");
  expect(chunks?.chunk_count).toBeGreaterThanOrEqual(5);
  token = await loginAdmin();
}, 120_000);

async function page(query: string): Promise<{ res: Response; body: Page; bytes: number }> {
  const res = await call(`/api/v1/plants/TX%3AMega?year=${YEAR}${query}`, { token });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return { res, body: JSON.parse(text) as Page, bytes: text.length };
}

describe("GET /api/v1/plants/{plantId} pages its generators", () => {
  it("returns every generator exactly once, in file order, across chunks, with totals on every page", async () => {
    const seen: { generatorId: string; line: number }[] = [];
    let cursor: string | null = "";
    let pages = 0;
    while (cursor !== null) {
      const { body } = await page(`&limit=300${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      pages++;
      expect(body.data.generatorCount).toBe(MEGA);
      expect(body.data.netGenerationMwh).toBe((MEGA * (MEGA + 1)) / 2);
      expect(body.meta.limit).toBe(300);
      expect(body.data.generators.length).toBe(body.meta.nextCursor ? 300 : MEGA % 300 || 300);
      seen.push(...body.data.generators);
      cursor = body.meta.nextCursor;
    }
    expect(pages).toBe(Math.ceil(MEGA / 300));
    expect(seen.map((g) => g.generatorId)).toEqual(megaIds);
    const lines = seen.map((g) => g.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it("defaults to 100 generators and bounds the response at the 1000 limit", async () => {
    const first = await page("");
    expect(first.body.data.generators).toHaveLength(100);
    expect(first.body.data.generators[0]?.generatorId).toBe("M0");
    const biggest = await page("&limit=1000");
    expect(biggest.body.data.generators).toHaveLength(1000);
    // About 200 bytes per generator: a page is bounded by the limit, not the plant's size.
    expect(biggest.bytes).toBeLessThan(1000 * 300);
    const refused = await call(`/api/v1/plants/TX%3AMega?year=${YEAR}&limit=1001`, { token });
    expect(refused.status).toBe(400);
    expect((await problem(refused)).detail).toBe(
      'limit must be a whole number from 1 to 1000 (got "1001"), e.g. limit=100',
    );
  });

  it("serves a repeated page from KV", async () => {
    const { body } = await page("&limit=7");
    const cursor = encodeURIComponent(body.meta.nextCursor ?? "");
    const once = await page(`&limit=7&cursor=${cursor}`);
    const twice = await page(`&limit=7&cursor=${cursor}`);
    expect(twice.res.headers.get("x-cache")).toBe("HIT");
    expect(twice.body).toEqual(once.body);
    expect(once.body.data.generators[0]?.generatorId).toBe("M7");
    const etag = twice.res.headers.get("etag") ?? "";
    const revalidated = await call(`/api/v1/plants/TX%3AMega?year=${YEAR}&limit=7&cursor=${cursor}`, {
      token,
      headers: { "If-None-Match": etag },
    });
    expect(revalidated.status).toBe(304);
    const otherPage = await page("&limit=8");
    expect(otherPage.res.headers.get("etag")).not.toBe(etag);
  });

  it.each([
    ["not base64url", "***", /not a cursor this API issued.*omit cursor for the first page/],
    ["well-formed but not ours", btoa("hello").replace(/=+$/, ""), /not a cursor this API issued/],
    ["another dataset version", "", /belongs to dataset version old-ingestion.*start again without cursor/],
    ["another plant", "", /belongs to plant "TX:Small 0", not "TX:Mega"/],
  ])("400 problem for a cursor that is %s, saying what to do", async (what, given, message) => {
    const forged = (parts: unknown[]) =>
      btoa(JSON.stringify(parts)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
    const cursor =
      what === "another dataset version"
        ? forged([1, "old-ingestion", "TX:Mega", 0, 5])
        : what === "another plant"
          ? forged([1, datasetVersion, "TX:Small 0", 0, 5])
          : given;
    const res = await call(`/api/v1/plants/TX%3AMega?year=${YEAR}&cursor=${encodeURIComponent(cursor)}`, { token });
    expect(res.status).toBe(400);
    const body = await problem(res);
    expect(body.detail).toMatch(message);
    expect(body.errors).toEqual([expect.objectContaining({ in: "query", name: "cursor" })]);
  });
});
