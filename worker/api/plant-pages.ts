import type { Context } from "hono";
import type { ActiveDataset } from "../publication/active";
import { cacheKey, readThroughText } from "./cache";
import { readSession } from "./d1-session";
import { decodeGeneratorCursor } from "./generator-cursor";
import { ProblemError } from "./problem";
import { type GeneratorRow, plantPage, queryPlant, queryPlantRows, START } from "./queries/plant";
import type { PlantRow } from "./queries/top-plants";
import { MAX_GENERATOR_PAGE } from "./schemas/plants";
import type { AppEnv } from "./types";

/**
 * GET /plants/{plantId} is cached as ONE entry per plant and dataset version, whatever `limit` and
 * `cursor` say: the plant's row and its first PLANT_ENTRY_GENERATORS generators (with their
 * keyset positions). Any page that lies inside those generators is sliced from the entry, so a
 * version holds at most one entry per plant that exists (unknown plants are 404 and never
 * stored): for eGRID 2023, 12,606 entries of ~0.5 KB plus ~250 bytes per generator, ~12 MB in
 * all, however many limits and cursors analysts send. A page past them (a plant of more than
 * 1,000 generators) is read from D1 and not stored; so is a cursor that names no generator of
 * the entry, so crafted cursors write nothing.
 */
export const PLANT_ENTRY_GENERATORS = MAX_GENERATOR_PAGE;

/** What a plant entry holds (JSON). */
interface PlantEntry {
  plant: PlantRow;
  generators: GeneratorRow[];
  /** Whether the plant has generators after the entry's. */
  more: boolean;
}

/** The KV key of a plant's entry; resolveVersioned reads it early. */
export function plantEntryKey(dataset: ActiveDataset, plantId: string): string {
  return cacheKey("plant-entry", dataset.ingestionId, { plantId });
}

function notFound(dataset: ActiveDataset, plantId: string): ProblemError {
  return new ProblemError(
    404,
    "not-found",
    "Plant not found",
    `no plant "${plantId}" in the ${dataset.year} dataset; plant ids come from GET /api/v1/plants/top (URL-encode them)`,
  );
}

/**
 * The plant document for (`limit`, `cursor`), the same one queryPlant builds, from the plant's
 * entry when the page lies inside it, else from D1. `firstRead` is a KV read of the entry already
 * under way. Sets the request's cache state: HIT only when the entry came from the cache.
 */
export async function readPlantPage(
  c: Context<AppEnv>,
  dataset: ActiveDataset,
  plantId: string,
  page: { limit: number; cursor?: string },
  firstRead?: Promise<string | null | undefined>,
): Promise<string> {
  // A cursor of another version or plant, or a garbled one, is a 400 before any read.
  const after = page.cursor ? decodeGeneratorCursor(page.cursor, dataset.ingestionId, plantId) : START;
  const { text, hit } = await readThroughText(
    c,
    plantEntryKey(dataset, plantId),
    async () => {
      const found = await queryPlantRows(readSession(c), dataset, plantId, START, PLANT_ENTRY_GENERATORS + 1);
      if (!found) throw notFound(dataset, plantId);
      const generators = found.generators.slice(0, PLANT_ENTRY_GENERATORS);
      return JSON.stringify({ plant: found.plant, generators, more: found.generators.length > generators.length });
    },
    firstRead,
  );
  const entry = JSON.parse(text) as PlantEntry;
  const start = page.cursor ? entry.generators.findIndex((g) => g.chunk === after.chunk && g.pos === after.pos) + 1 : 0;
  const end = start + page.limit;
  // Inside the entry: a cursor naming one of its generators (or none), and the page not running
  // past the entry's last generator while more follow.
  if ((start > 0 || !page.cursor) && (end <= entry.generators.length || !entry.more)) {
    c.set("cache", hit ? "HIT" : "MISS");
    const shown = entry.generators.slice(start, end);
    const more = end < entry.generators.length || entry.more;
    return JSON.stringify(plantPage(dataset, plantId, entry.plant, shown, page.limit, more));
  }
  c.set("cache", "MISS");
  const answer = await queryPlant(readSession(c), dataset, plantId, page);
  if (!answer) throw notFound(dataset, plantId);
  return JSON.stringify(answer);
}
