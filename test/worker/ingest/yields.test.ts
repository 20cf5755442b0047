import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PARSE_SLICE_BYTES, slices } from "../../../worker/ingest/yield-thread";
import { deliver, steppedEnv } from "../helpers/drive";
import { genCsv, syntheticRows } from "../helpers/gen-csv";
import { putObject } from "../helpers/ingest";

async function* from(pieces: Uint8Array[]) {
  yield* pieces;
}

describe("ingestion yields the thread to readers", () => {
  it("cuts byte pieces into slices of at most PARSE_SLICE_BYTES, in order, without losing a byte", async () => {
    const big = Uint8Array.from({ length: PARSE_SLICE_BYTES * 2 + 10 }, (_, i) => (i * 31) % 251);
    const small = new Uint8Array([1, 2, 3]);
    const out: Uint8Array[] = [];
    for await (const slice of slices(from([big, small]))) out.push(slice);
    expect(out.map((s) => s.length)).toEqual([PARSE_SLICE_BYTES, PARSE_SLICE_BYTES, 10, 3]);
    const joined = out.flatMap((s) => [...s]);
    expect(joined).toEqual([...big, ...small]);
  });

  it("lets timers run between slices while it parses a chunk that arrived in one piece", async () => {
    // ~3.7 MB in one chunk, delivered by a TEST DOUBLE of R2 as one in-memory piece: parsing it
    // involves no I/O, so only the consumer's own yields let the ticker (a stand-in for other
    // requests) run between reading the bytes and writing the chunk's D1 batch.
    const csv = genCsv(syntheticRows(80_000, 2007));
    const notification = await putObject("yields/egrid2007.csv", csv);
    let ticks = 0;
    const events: Array<{ what: "read" | "batch"; ticks: number }> = [];
    const uploads = new Proxy(env.UPLOADS, {
      get(target, prop) {
        if (prop !== "get") return Reflect.get(target, prop).bind(target);
        return async (key: string, options?: R2GetOptions) => {
          const object = await target.get(key, options);
          if (!object || !("body" in object)) return object;
          const bytes = new Uint8Array(await object.arrayBuffer());
          const length = (options?.range as { length?: number } | undefined)?.length ?? 0;
          if (length > 1_000_000) events.push({ what: "read", ticks });
          const body = new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(bytes);
              controller.close();
            },
          });
          return new Proxy(object, { get: (o, p) => (p === "body" ? body : Reflect.get(o, p)), has: () => true });
        };
      },
    });
    const db = new Proxy(env.DB, {
      get(target, prop) {
        const value = Reflect.get(target, prop);
        if (prop === "batch") {
          return (statements: D1PreparedStatement[]) => {
            events.push({ what: "batch", ticks });
            return target.batch(statements);
          };
        }
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    let running = true;
    const ticker = (async () => {
      while (running) {
        await scheduler.wait(0);
        ticks++;
      }
    })();
    try {
      // One chunk for the whole file (the default is 512 KiB): the yields inside a chunk are under test.
      const oneChunk = steppedEnv({ INGEST_CHUNK_BYTES: String(8 * 1024 * 1024) });
      await deliver({ ...oneChunk, UPLOADS: uploads, DB: db } as unknown as Env, notification);
    } finally {
      running = false;
      await ticker;
    }
    const read = events.findIndex((e) => e.what === "read");
    expect(read).toBeGreaterThanOrEqual(0);
    const written = events.slice(read).find((e) => e.what === "batch");
    expect(written).toBeDefined();
    const slicesInChunk = Math.floor(csv.length / PARSE_SLICE_BYTES);
    expect(slicesInChunk).toBeGreaterThan(10);
    expect((written?.ticks ?? 0) - (events[read]?.ticks ?? 0)).toBeGreaterThanOrEqual(slicesInChunk - 2);
  });
});
