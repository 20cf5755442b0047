// When every published year is withdrawn, a request for "the latest year" says so, and what an
// owner can do, instead of claiming nothing was ever ingested. Its own file: it withdraws every
// year of its storage.
import { describe, expect, it } from "vitest";
import { genCsv, syntheticRows } from "../helpers/gen-csv";
import { ingestCsv } from "../helpers/ingest";
import { call, problem, userWithRole } from "./helpers";

describe("every year withdrawn", () => {
  it("answers 404 saying none is published, and the year comes back when published again", async () => {
    const owner = await userWithRole("owner");
    const analyst = await userWithRole("analyst");
    const version = await ingestCsv(genCsv(syntheticRows(12, 2011)), "uploads/withdrawn-2011.csv");
    expect((await call("/api/v1/plants/top?n=1", { token: analyst.token })).status).toBe(200);

    const withdraw = await call("/api/v1/datasets/2011/active", { method: "DELETE", token: owner.token });
    expect(withdraw.status).toBe(200);
    const none = await call("/api/v1/plants/top?n=1", { token: analyst.token });
    expect(none.status).toBe(404);
    const detail = (await problem(none)).detail;
    expect(detail).toMatch(/no dataset is published: none has been ingested yet, or an owner withdrew every year/);
    expect(detail).toMatch(/POST \/api\/v1\/datasets\/\{year\}\/active/);

    const again = await call("/api/v1/datasets/2011/active", {
      method: "POST",
      token: owner.token,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ingestionId: version.id }),
    });
    expect(again.status).toBe(200);
    expect((await call("/api/v1/plants/top?n=1", { token: analyst.token })).status).toBe(200);
  });
});
