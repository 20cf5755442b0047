import { beforeAll, describe, expect, it } from "vitest";
import { call, problem, seedDataset, userWithRole } from "./helpers";

let analyst: string;
beforeAll(async () => {
  analyst = (await userWithRole("analyst")).token;
  await seedDataset("bookmark-v1", 2017, [{ name: "Alpha", state: "ID", net: 30 }]);
});

describe("D1 session bookmarks", () => {
  it("returns the session's bookmark and accepts it back", async () => {
    const miss = await call("/api/v1/plants/top?year=2017&state=ID", { token: analyst });
    const bookmark = miss.headers.get("x-d1-bookmark");
    expect(bookmark).toBeTruthy();
    const again = await call("/api/v1/plants/top?year=2017", {
      token: analyst,
      headers: { "x-d1-bookmark": bookmark as string },
    });
    expect(again.status).toBe(200);
  });

  it("refuses a malformed bookmark with a 400 saying what to send", async () => {
    const res = await call("/api/v1/plants/top?year=2017&n=3", {
      token: analyst,
      headers: { "x-d1-bookmark": "not a bookmark" },
    });
    expect(res.status).toBe(400);
    expect((await problem(res)).detail).toContain("x-d1-bookmark");
  });
});
