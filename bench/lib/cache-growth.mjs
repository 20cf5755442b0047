// bench:api's cache-growth figure: how many bytes the KV cache grows by while analysts send
// random top-N requests (random n, offset and state), measured on the local KV's own files.
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { createRandom } from "../../scripts/lib/sample.ts";

const STATES = (
  "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY " +
  "NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY"
).split(" ");

/** Bytes of every file under `dir` (0 when it does not exist). */
export async function directoryBytes(dir) {
  let total = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? await directoryBytes(path) : (await stat(path)).size;
  }
  return total;
}

/** `count` top-N paths with random n (1-1000), offset (0-15,000) and state (or the nation). */
export function randomTopPaths(count, seed = 14) {
  const next = createRandom(seed); // mulberry32: two runs send the same requests
  return Array.from({ length: count }, () => {
    const state = next() < 0.2 ? "" : `&state=${STATES[Math.floor(next() * STATES.length)]}`;
    return `/api/v1/plants/top?n=${1 + Math.floor(next() * 1000)}&offset=${Math.floor(next() * 15_000)}${state}`;
  });
}

/**
 * Sends `paths` (10 at a time, tokens in turn), waits for the writes made after the responses to
 * land, and resolves the growth of the local KV directory `kvDir` in bytes, with the statuses seen.
 */
export async function measureCacheGrowth({ base, tokens, paths, kvDir }) {
  const before = await directoryBytes(kvDir);
  const statuses = {};
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      const res = await fetch(`${base}${paths[i]}`, { headers: { authorization: tokens[i % tokens.length] } });
      await res.arrayBuffer();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
  // KV writes run after the response (waitUntil): wait until the directory stops growing.
  let after = await directoryBytes(kvDir);
  for (let stable = 0; stable < 3; ) {
    await new Promise((r) => setTimeout(r, 500));
    const now = await directoryBytes(kvDir);
    stable = now === after ? stable + 1 : 0;
    after = now;
  }
  return { bytes: after - before, statuses };
}
