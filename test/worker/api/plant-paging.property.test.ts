import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { queryPlant } from "../../../worker/api/queries/plant";
import type { ActiveDataset } from "../../../worker/publication/active";

// A plant's generators laid out over chunks the way the consumer writes them: each chunk that
// holds some of the plant has one part listing their sequence numbers in file order, possibly
// alongside a part rebuilt by migration 0006 (chunk -1). Sequence numbers are arbitrary (a file
// need not be in SEQGEN order); lines grow through the file.
const layout = fc.record({
  chunks: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 6 }),
  legacy: fc.integer({ min: 0, max: 4 }),
  emptyChunks: fc.integer({ min: 0, max: 2 }),
  limit: fc.integer({ min: 1, max: 8 }),
  seqSeed: fc.integer({ min: 1, max: 1_000_000 }),
});

let run = 0;

describe("GET /plants/{id} paging, any chunk layout (property)", () => {
  it("pages return every generator exactly once, in part order, for any limit", async () => {
    await fc.assert(
      fc.asyncProperty(layout, async ({ chunks, legacy, emptyChunks, limit, seqSeed }) => {
        run += 1;
        const id = `prop-paging-${run}`;
        const statements: D1PreparedStatement[] = [
          env.DB.prepare(
            `INSERT INTO ingestions (id, bucket, object_key, etag, status, data_year, queued_at)
             VALUES (?1, 'b', ?2, 'e', 'done', 2016, 0)`,
          ).bind(id, `prop/${id}.csv`),
        ];
        // Generators in file order: legacy part first (chunk -1), then chunk 0, 1, ...
        const expected: string[] = [];
        let line = 2;
        let seq = seqSeed;
        const part = (chunk: number, count: number) => {
          const seqs: number[] = [];
          for (let k = 0; k < count; k++) {
            // Sequence numbers jump around: not in file order.
            seq = (seq * 7919 + 13) % 10_000_019;
            seqs.push(seq);
            const generatorId = `c${chunk}g${k}`;
            expected.push(generatorId);
            statements.push(
              env.DB.prepare(
                `INSERT INTO generators (ingestion_id, line, seq, data_year, plant_key, state, plant_name, generator_id)
                 VALUES (?1, ?2, ?3, 2016, 'P', 'TX', 'P', ?4)`,
              ).bind(id, line++, seq, generatorId),
            );
            // Another plant's generator between them, which must never show up.
            seq = (seq * 7919 + 13) % 10_000_019;
            statements.push(
              env.DB.prepare(
                `INSERT INTO generators (ingestion_id, line, seq, data_year, plant_key, state, plant_name, generator_id)
                 VALUES (?1, ?2, ?3, 2016, 'Q', 'TX', 'Q', 'other')`,
              ).bind(id, line++, seq),
            );
          }
          if (count > 0) {
            statements.push(
              env.DB.prepare(
                `INSERT INTO plant_parts (ingestion_id, plant_key, chunk_index, state, name, generator_count,
                   unknown_generator_count, seqs) VALUES (?1, 'P', ?2, 'TX', 'P', ?3, 0, ?4)`,
              ).bind(id, chunk, count, JSON.stringify(seqs)),
            );
          }
        };
        part(-1, legacy);
        const allChunks = [...chunks, ...Array<number>(emptyChunks).fill(0)];
        allChunks.forEach((count, chunk) => {
          statements.push(
            env.DB.prepare(
              `INSERT INTO ingestion_chunks (ingestion_id, chunk_index, byte_start, byte_end, first_line, status)
               VALUES (?1, ?2, 0, 1, 1, 'done')`,
            ).bind(id, chunk),
          );
          part(chunk, count);
        });
        statements.push(
          env.DB.prepare(
            `INSERT INTO plants (ingestion_id, plant_key, data_year, state, name, generator_count, unknown_generator_count)
             VALUES (?1, 'P', 2016, 'TX', 'P', ?2, 0)`,
          ).bind(id, expected.length),
        );
        await env.DB.batch(statements);

        const dataset: ActiveDataset = { year: 2016, ingestionId: id, activatedAt: 0, objectKey: null, completedAt: 0 };
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages <= expected.length + 1; pages++) {
          const page = await queryPlant(env.DB, dataset, "P", { limit, cursor });
          if (!page) throw new Error("plant vanished");
          expect(page.data.generators.length).toBeLessThanOrEqual(limit);
          expect(page.data.generatorCount).toBe(expected.length);
          seen.push(...page.data.generators.map((g) => g.generatorId));
          if (page.meta.nextCursor === null) break;
          // A next page is promised only when there is something on it.
          expect(page.data.generators.length).toBe(limit);
          cursor = page.meta.nextCursor;
        }
        expect(seen).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});
