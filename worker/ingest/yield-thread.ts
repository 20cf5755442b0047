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
 * piece; 64 KiB (~1,300 rows, a few ms of parsing) bounds the work between two yields.
 */
export const PARSE_SLICE_BYTES = 64 * 1024;

/** Re-cuts byte pieces into views of at most `size` bytes (no copying). */
export async function* slices(source: AsyncIterable<Uint8Array>, size = PARSE_SLICE_BYTES): AsyncGenerator<Uint8Array> {
  for await (const piece of source) {
    for (let at = 0; at < piece.length; at += size) yield piece.subarray(at, at + size);
  }
}
