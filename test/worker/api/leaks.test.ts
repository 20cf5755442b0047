import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import worker from "../../../worker";
import { userWithRole } from "./helpers";

let owner: { token: string };
beforeAll(async () => {
  owner = await userWithRole("owner");
});
afterEach(() => vi.restoreAllMocks());

const HEAD = new TextEncoder().encode("SEQGEN23,YEAR,PSTATEABB,PNAME,GENID,GENNTAN\r\n1,2023,AZ,Palo Verde,1,5\r\n");

/**
 * A body that sends `chunks` pieces and then fails the way workerd fails a read when the client
 * drops the connection. The request goes straight to the worker's fetch in this isolate, so the
 * handler reads this very stream (through exports.default the runtime would buffer it first).
 */
function droppedBody(chunks: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < chunks) controller.enqueue(HEAD);
      else controller.error(new Error("Network connection lost."));
    },
  });
}

async function uploadDropped(chunks: number, declared: number) {
  const logs: string[] = [];
  const keep = (...args: unknown[]) => void logs.push(args.map(String).join(" "));
  vi.spyOn(console, "error").mockImplementation(keep);
  vi.spyOn(console, "warn").mockImplementation(keep);
  vi.spyOn(console, "log").mockImplementation(keep);
  const request = new Request("http://api.test/api/v1/uploads", {
    method: "POST",
    headers: { Authorization: `Bearer ${owner.token}`, "Content-Type": "text/csv", "Content-Length": String(declared) },
    body: droppedBody(chunks),
  });
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, env, ctx);
  await waitOnExecutionContext(ctx);
  vi.restoreAllMocks();
  return { res, text: await res.text(), logs };
}

function expectNoInternals(text: string) {
  expect(text).not.toMatch(/\bat (async )?\S+ \(|file:\/\/|\/work\/|node_modules|miniflare|Network connection lost/i);
}

describe("nothing internal leaks when a client drops the connection", () => {
  it("an upload whose body ends early inside the first 64 KiB: a problem without internals, logged as an abort", async () => {
    const { res, text, logs } = await uploadDropped(1, 100_000);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(text)).toMatchObject({ type: "urn:egrid-edge:problem:incomplete-body" });
    expectNoInternals(text);
    expect(logs.filter((l) => l.includes("unhandled-error"))).toEqual([]);
    const aborts = logs.filter((l) => l.includes('"event":"request-aborted"'));
    expect(aborts).toHaveLength(1);
    expect(aborts[0]).not.toMatch(/stack|\bat \S+ \(/);
    expect(JSON.parse(aborts[0] as string)).toMatchObject({ method: "POST", path: "/api/v1/uploads" });
  });

  it("an upload whose body ends early after the head: nothing stored, the same answer and log event", async () => {
    const before = await env.UPLOADS.list({ prefix: "uploads/" });
    const { res, text, logs } = await uploadDropped(2000, 1_000_000);
    expect(res.status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ type: "urn:egrid-edge:problem:incomplete-body" });
    expectNoInternals(text);
    expect(logs.filter((l) => l.includes("unhandled-error"))).toEqual([]);
    expect(logs.filter((l) => l.includes('"event":"request-aborted"'))).toHaveLength(1);
    expect((await env.UPLOADS.list({ prefix: "uploads/" })).objects).toHaveLength(before.objects.length);
  });
});
