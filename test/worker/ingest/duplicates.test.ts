import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { RENAME_DUPLICATES, RESET_CHUNK } from "../../../worker/ingest/chunk-conflicts";
import type { ChunkMessage, IngestMessage } from "../../../worker/ingest/messages";
import { deliver, type SteppedEnv, steppedEnv } from "../helpers/drive";
import { GEN_HEADER, genCsv } from "../helpers/gen-csv";
import { ingestionIdOfKey, putObject } from "../helpers/ingest";
import { ingestion } from "../helpers/queries";

// Rows repeating a sequence number (SEQGENyy) must resolve by FILE ORDER: the copy on the
// smallest line is loaded, later copies are rejected as duplicates naming that line, whatever
// order the chunks commit in and however the file is cut into chunks.

interface Row {
  seq: number;
  state: string;
  name: string;
  net: number;
}

const STATES = ["TX", "CA", "NY", "FL"];
/** 48 rows, plus copies of earlier sequence numbers with different plants and values. */
function fileRows(): Row[] {
  const rows: Row[] = Array.from({ length: 48 }, (_, i) => ({
    seq: i + 1,
    state: STATES[i % STATES.length] as string,
    name: `Plant ${i % 9}`,
    net: (i + 1) * 100,
  }));
  rows.splice(12, 0, { seq: 10, state: "TX", name: "Same Chunk Copy", net: 1 }); // same chunk as seq 10
  rows.splice(22, 0, { seq: 3, state: "CA", name: "Second Copy", net: 77_777 });
  rows.splice(33, 0, { seq: 25, state: "NY", name: "Plant 4", net: 55_555 });
  rows.splice(38, 0, { seq: 5, state: "ZZ", name: "Bad State Copy", net: 5 }); // refused for its state
  rows.splice(47, 0, { seq: 3, state: "FL", name: "Third Copy", net: 33_333 });
  rows.push({ seq: 30, state: "TX", name: "Last Line Copy", net: 1_000_000 });
  return rows;
}

function csvOf(rows: Row[], year: number): string {
  return genCsv(rows.map((r) => `${r.seq},${year},${r.state},${r.name},G${r.seq},"${r.net.toLocaleString("en-US")}"`));
}

/** The first data row is on line 3 (description row, code row). */
const FIRST_LINE = GEN_HEADER.split("\r\n").length;

/** "First occurrence by line wins", computed from the rows themselves. */
function expectedOutcome(rows: Row[]) {
  const first = new Map<number, number>();
  const generators: Array<{ seq: number; line: number; plant_key: string; net_generation_mwh: number }> = [];
  const rejected: Array<{ line: number; reason: string }> = [];
  rows.forEach((row, i) => {
    const line = FIRST_LINE + i;
    if (row.state === "ZZ") {
      rejected.push({ line, reason: expect.stringContaining('unknown state code "ZZ"') as unknown as string });
      return;
    }
    const earlier = first.get(row.seq);
    if (earlier !== undefined) {
      rejected.push({ line, reason: `duplicate of line ${earlier} (same sequence number ${row.seq})` });
      return;
    }
    first.set(row.seq, line);
    generators.push({ seq: row.seq, line, plant_key: `${row.state}:${row.name}`, net_generation_mwh: row.net });
  });
  generators.sort((a, b) => a.seq - b.seq);
  const plants = new Map<string, { plant_key: string; net_generation_mwh: number; generator_count: number }>();
  for (const g of generators) {
    const plant = plants.get(g.plant_key) ?? { plant_key: g.plant_key, net_generation_mwh: 0, generator_count: 0 };
    plant.net_generation_mwh += g.net_generation_mwh;
    plant.generator_count++;
    plants.set(g.plant_key, plant);
  }
  return {
    generators,
    plants: [...plants.values()].sort((a, b) => (a.plant_key < b.plant_key ? -1 : 1)),
    rejected,
    counts: { rows_read: rows.length, rows_loaded: generators.length, rows_rejected: rejected.length },
  };
}

async function stored(id: string) {
  const all = async (sql: string) => (await env.DB.prepare(sql).bind(id).all()).results;
  return {
    record: await ingestion(id),
    generators: await all(
      "SELECT seq, line, plant_key, net_generation_mwh FROM generators WHERE ingestion_id = ? ORDER BY seq",
    ),
    plants: await all(
      "SELECT plant_key, net_generation_mwh, generator_count FROM plants WHERE ingestion_id = ? ORDER BY plant_key",
    ),
    parts: await all(
      `SELECT chunk_index, plant_key, net_generation_mwh, generator_count, unknown_generator_count, seqs
       FROM plant_parts WHERE ingestion_id = ? ORDER BY chunk_index, plant_key`,
    ),
    rejected: await all("SELECT line, reason FROM rejected_rows WHERE ingestion_id = ? ORDER BY line"),
  };
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/**
 * Plans the file's chunks, then delivers the chunk messages in `order` to the real consumer.
 * Chunks sent again (reset by an earlier chunk) are delivered at the end, as a queue would
 * ("queued"), or right after the message that sent them ("at once").
 */
async function ingestInOrder(year: number, chunkBytes: number, order: (chunks: number) => number[], resent: string) {
  const key = `duplicates-${year}.csv`;
  const testEnv: SteppedEnv = steppedEnv({ INGEST_CHUNK_BYTES: String(chunkBytes) });
  await deliver(testEnv, await putObject(key, csvOf(fileRows(), year)));
  const id = await ingestionIdOfKey(key);
  const planned = testEnv.INGEST_QUEUE.take() as ChunkMessage[];
  const queue: IngestMessage[] = order(planned.length).map((i) => planned[i] as ChunkMessage);
  for (let body = queue.shift(); body; body = queue.shift()) {
    await deliver(testEnv, body);
    const sent = testEnv.INGEST_QUEUE.take();
    if (resent === "at once") queue.unshift(...sent);
    else queue.push(...sent);
  }
  return { id, chunks: planned.length };
}

describe("duplicate sequence numbers resolve by file order", () => {
  const rows = fileRows();
  const expected = expectedOutcome(rows);
  const CHUNK_BYTES = 450;
  // One plausible data year for every run: each run is a later upload of the same plants, so it
  // is published (a year after next calendar year would be held as implausible).
  const year = 2015;

  it("the test file puts copies in other chunks than their first line", async () => {
    const { id, chunks } = await ingestInOrder(year, CHUNK_BYTES, (n) => [...Array(n).keys()], "queued");
    expect(chunks).toBe(4);
    const { results } = await env.DB.prepare("SELECT first_line FROM ingestion_chunks WHERE ingestion_id = ?")
      .bind(id)
      .all<{ first_line: number }>();
    const chunkOf = (line: number) => results.filter((c) => c.first_line <= line).length;
    const lineOf = (i: number) => FIRST_LINE + i;
    // seq 3 on lines of three different chunks, seq 25 in two.
    const copies = (seq: number) => rows.flatMap((r, i) => (r.seq === seq ? [chunkOf(lineOf(i))] : []));
    expect(new Set(copies(3)).size).toBe(3);
    expect(new Set(copies(25)).size).toBe(2);
  });

  for (const resent of ["queued", "at once"]) {
    it(`gives the same rows in all 24 commit orders of 4 chunks (chunks sent again: ${resent})`, async () => {
      let partsOfFirstRun: unknown;
      for (const order of permutations([0, 1, 2, 3])) {
        const { id } = await ingestInOrder(year, CHUNK_BYTES, () => order, resent);
        const got = await stored(id);
        const label = `order ${order.join(",")}`;
        expect(got.record, label).toMatchObject({ status: "done", ...expected.counts });
        expect(got.generators, label).toEqual(expected.generators);
        expect(got.plants, label).toEqual(expected.plants);
        expect(got.rejected, label).toEqual(expected.rejected);
        partsOfFirstRun ??= got.parts;
        expect(got.parts, label).toEqual(partsOfFirstRun);
      }
    });
  }

  it("gives the same rows when all chunks run at once, again and again", async () => {
    for (let run = 0; run < 6; run++) {
      const key = `duplicates-concurrent-${year}.csv`;
      const testEnv: SteppedEnv = steppedEnv({ INGEST_CHUNK_BYTES: String(CHUNK_BYTES) });
      await deliver(testEnv, await putObject(key, csvOf(rows, year)));
      const id = await ingestionIdOfKey(key);
      for (let wave = testEnv.INGEST_QUEUE.take(); wave.length > 0; wave = testEnv.INGEST_QUEUE.take()) {
        await Promise.all(wave.map((body) => deliver(testEnv, body)));
      }
      const got = await stored(id);
      expect(got.record, `run ${run}`).toMatchObject({ status: "done", ...expected.counts });
      expect(got.generators, `run ${run}`).toEqual(expected.generators);
      expect(got.plants, `run ${run}`).toEqual(expected.plants);
      // Which copy a rejection names can differ only for a third copy written at the same moment.
      expect(got.rejected.map((r) => r.line)).toEqual(expected.rejected.map((r) => r.line));
    }
  });

  it.each([
    [100_000, "one chunk"],
    [300, "small chunks, last first"],
    [700, "two chunks, last first"],
  ])("gives the same rows whatever the chunk size (%i bytes: %s)", async (bytes) => {
    const { id } = await ingestInOrder(year, bytes, (n) => [...Array(n).keys()].reverse(), "queued");
    const got = await stored(id);
    expect(got.record).toMatchObject({ status: "done", ...expected.counts });
    expect(got.generators).toEqual(expected.generators);
    expect(got.plants).toEqual(expected.plants);
    expect(got.rejected).toEqual(expected.rejected);
  });
});

describe("settling a duplicate costs seeks, never scans", () => {
  const statements = [...RESET_CHUNK, RENAME_DUPLICATES].map((sql) => [sql.slice(0, 40), sql]);
  it.each(statements)("%s…", async (_, sql) => {
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind("id", 1, 0).all<{ detail: string }>();
    const detail = results.map((r) => r.detail).join("\n");
    expect(detail).not.toMatch(/SCAN (generators|plant_parts|p|rejected_rows|ingestion_chunks|ingestions)\b/);
    expect(detail).not.toMatch(/CORRELATED/);
  });
});
