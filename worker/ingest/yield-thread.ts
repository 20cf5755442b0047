/**
 * Lets the isolate serve other requests before the caller goes on. The consumer runs in the same
 * isolate as the API, and JavaScript runs one task at a time: a chunk parsed in one go (~0.25 s
 * of CPU for 4 MiB) would hold every reader that long. A timer is a macrotask, so requests that
 * arrived meanwhile run first; awaiting a resolved promise (a microtask) would not let them.
 * `scheduler.wait` is workerd's promise-returning timer.
 */
export function yieldThread(): Promise<void> {
  return scheduler.wait(0);
}

/**
 * Bytes handed to the CSV parser at a time. A stream may deliver a whole ranged read as one
 * piece; 256 KiB (~5,000 rows, ~15 ms of parsing on an idle core) bounds the work between two
 * yields well under the ~100 ms a reader may wait. Smaller slices cost ingestion time on a busy
 * machine: each yield can lose the core to other processes (64 KiB slices, 1,600 yields per
 * 100 MB, made bench:ingest ~25% slower at load average 13).
 */
export const PARSE_SLICE_BYTES = 256 * 1024;

/** Re-cuts byte pieces into views of at most `size` bytes (no copying). */
export async function* slices(source: AsyncIterable<Uint8Array>, size = PARSE_SLICE_BYTES): AsyncGenerator<Uint8Array> {
  for await (const piece of source) {
    for (let at = 0; at < piece.length; at += size) yield piece.subarray(at, at + size);
  }
}
