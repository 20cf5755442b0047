import { describe, expect, it, vi } from "vitest";
import type { Ingestion } from "../../web/src/lib/api";
import { progressView } from "../../web/src/lib/ingestion-progress";
import { fakeApi } from "./helpers/fake-api";
import { ingestion } from "./helpers/fixtures";
import { mountApp } from "./helpers/mount-app";

function mountIngestions(rows: Ingestion[]) {
  const calls = fakeApi(({ url }) => {
    if (url.pathname === "/api/v1/ingestions") return { body: { data: rows } };
    const id = url.pathname.match(/^\/api\/v1\/ingestions\/(.+)$/)?.[1];
    const row = rows.find((r) => r.id === id);
    if (row) return { body: { ...row, rejectedSample: [] } };
    if (url.pathname === "/api/v1/datasets")
      return { body: { data: [], storage: { generators: 0, plants: 0, plantParts: 0 } } };
    return undefined;
  });
  return { el: mountApp("/ingestions", "owner"), calls };
}

describe("progressView", () => {
  it("says waiting only for queued files; ended files say how they ended", () => {
    const unplanned = { chunks: { total: null, done: 0 } };
    expect(progressView(ingestion("q", { status: "queued", ...unplanned })).text).toBe("waiting to start");
    for (const status of ["failed", "skipped", "retracted", "held"] as const) {
      const view = progressView(ingestion(status, { status, ...unplanned }));
      expect(view.text, status).not.toMatch(/wait/);
      expect(view.fraction, status).toBeNull();
    }
    expect(progressView(ingestion("f", { status: "failed", chunks: { total: 10, done: 3 } })).text).toBe(
      "stopped after 3/10 chunks",
    );
    expect(progressView(ingestion("p", { status: "processing", chunks: { total: 4, done: 1 } }))).toEqual({
      fraction: 0.25,
      text: "1/4 chunks",
    });
    expect(progressView(ingestion("d", { status: "done" })).fraction).toBe(1);
  });
});

describe("ingestions page", () => {
  const rows = [
    ingestion("a", {
      status: "failed",
      error: "not an eGRID GEN sheet: no PSTATEABB column",
      chunks: { total: null, done: 0 },
    }),
    ingestion("b", { status: "done", active: true }),
    ingestion("c", { status: "held", chunks: { total: 2, done: 2 } }),
  ];

  it("shows a failed file's outcome and error, never waiting", async () => {
    const { el } = mountIngestions(rows);
    await vi.waitFor(() => expect(el.querySelectorAll("tr.ingestion")).toHaveLength(3));
    const failed = el.querySelector("tr.ingestion.failed");
    expect(failed?.querySelector("td.progress")?.textContent).toBe("stopped before loading any rows");
    expect(failed?.querySelector(".error")?.textContent).toContain("no PSTATEABB column");
    expect(el.querySelector("tr.ingestion.held td.progress")?.textContent).toContain("not published (held)");
    expect(el.querySelector(".ingestion-table")?.textContent).not.toMatch(/waiting/);
  });

  it("opens details right below the row clicked, and closes them again", async () => {
    const { el } = mountIngestions(rows);
    await vi.waitFor(() => expect(el.querySelectorAll("tr.ingestion")).toHaveLength(3));
    const second = el.querySelectorAll("tr.ingestion")[1] as HTMLTableRowElement;
    const toggle = second.querySelector("button") as HTMLButtonElement;
    toggle.click();
    await vi.waitFor(() => expect(el.querySelector(".details h3")?.textContent).toBe("Details of uploads/b.csv"));
    const next = second.nextElementSibling;
    expect(next?.classList.contains("details-row")).toBe(true);
    expect(next?.contains(el.querySelector(".details"))).toBe(true);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    expect(toggle.getAttribute("aria-controls")).toBe(next?.id);
    toggle.click();
    await vi.waitFor(() => expect(el.querySelector(".details")).toBeNull());
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
  });

  it("labels every card field so a phone layout can show it without the table header", async () => {
    const { el } = mountIngestions(rows);
    await vi.waitFor(() => expect(el.querySelectorAll("tr.ingestion")).toHaveLength(3));
    const labels = [...el.querySelectorAll("tr.ingestion:first-child td[data-label]")].map((td) =>
      td.getAttribute("data-label"),
    );
    expect(labels).toEqual(["Status", "Progress", "Rows loaded", "Rows rejected", "Year", "Queued"]);
  });
});
